package io.edgerag.bench;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;

/**
 * The appliance's own {@link Embedder} and settings outside Quarkus: the {@code edgerag.*} mapping with
 * its defaults, overridable by {@code -Dedgerag...} system properties, so a bench measures the very
 * code path (model, batching, normalisation) the appliance runs.
 */
final class BenchEmbedder {

    private BenchEmbedder() {
    }

    static EdgeragConfig config() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addSystemSources()
                .withConverter(Duration.class, 200, new DurationConverter()) // "2s", as Quarkus reads it
                .withMapping(EdgeragConfig.class)
                .build();
        return config.getConfigMapping(EdgeragConfig.class);
    }

    static Embedder embedder() {
        return new Embedder(config());
    }
}
