package io.edgerag.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.edgerag.config.EdgeragConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedder opens LangChain4j's bundled models in ONNX sessions of its own (query: every core; passages and
 * chat queries: one thread, low priority). They must be the very models LangChain4j's own classes load —
 * same files, same pooling — or vectors written before this change would no longer match new queries.
 * A Quarkus test only because the tokenizer's native library can be loaded by one class loader per JVM,
 * and the other tests of this JVM load it in Quarkus'.
 */
@QuarkusTest
class EmbedderSessionsTest {

    private static final String TEXT = "Lichens are symbiotic partnerships of a fungus with algae or cyanobacteria.";

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v15-q"})
    void should_make_the_vectors_langchain4j_makes_with_the_same_model(String model) {
        Embedder embedder = new Embedder(config(model));
        EmbeddingModel reference = model.equals("all-minilm-l6-v2")
                ? new AllMiniLmL6V2EmbeddingModel() : new BgeSmallEnV15QuantizedEmbeddingModel();
        try {
            float[] expected = Embedder.normalize(reference.embed(TEXT).content().vector());
            float[] passage = embedder.embedPassages(List.of(TEXT)).get(0);
            assertThat(cosine(passage, expected)).as("passage session vs LangChain4j's model").isGreaterThan(0.9999);

            String prefix = model.equals("bge-small-en-v15-q") ? EmbeddingSpec.BGE_QUERY_PREFIX : "";
            float[] expectedQuery = Embedder.normalize(reference.embed(prefix + TEXT).content().vector());
            assertThat(cosine(embedder.embedQuery(TEXT), expectedQuery)).as("query session").isGreaterThan(0.9999);
            assertThat(cosine(embedder.embedQueryOnOneCore(TEXT), expectedQuery)).as("chat query (passage session)")
                    .isGreaterThan(0.9999);
            assertThat(cosine(embedder.embedQuery("What do fungi and algae form together?"), expectedQuery))
                    .as("a different text is a different vector").isLessThan(0.99);
        } finally {
            embedder.close();
        }
    }

    private static EdgeragConfig config(String model) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("edgerag.embedding.model", model), "test", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(EdgeragConfig.class)
                .build().getConfigMapping(EdgeragConfig.class);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
