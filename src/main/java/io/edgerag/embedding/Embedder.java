package io.edgerag.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import io.edgerag.config.EdgeragConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * The configured embedding model, with the per-model query prefix and batching applied. Every call
 * blocks (ONNX inference or HTTP): run it on a worker thread.
 */
@ApplicationScoped
public class Embedder {

    /** Bumped when the way vectors are made changes (prefixing, normalisation), so old vectors can be found. */
    public static final int SCHEMA_VERSION = 1;

    private final EmbeddingSpec spec;
    private final EmbeddingModel model;
    private final int batchSize;
    private final Timer queryLatency;
    private final Timer passageLatency;

    /** Without metrics (benchmarks and tools). */
    public Embedder(EdgeragConfig config) {
        this(config, null);
    }

    /** {@code edgerag_embedding_latency_seconds{kind="query"|"passages"}}: one query, or one batch of passages. */
    @Inject
    public Embedder(EdgeragConfig config, MeterRegistry registry) {
        this(config, registry, config.embedding().model());
    }

    /**
     * Another model than the configured one (an embedding migration's target, or the model a store was
     * migrated to); the configured query prefix applies to the configured model only.
     */
    public Embedder(EdgeragConfig config, MeterRegistry registry, String modelId) {
        this.queryLatency = registry == null ? null : latency(registry, "query");
        this.passageLatency = registry == null ? null : latency(registry, "passages");
        boolean configured = modelId.trim().equals(config.embedding().model().trim());
        this.spec = EmbeddingSpec.of(modelId, configured ? config.embedding().queryPrefix() : java.util.Optional.empty(),
                config.embedding().dimension());
        this.batchSize = Math.max(1, config.ingest().embedBatchSize());
        this.model = switch (spec.kind()) {
            case ALL_MINILM_L6_V2 -> new AllMiniLmL6V2EmbeddingModel();
            case BGE_SMALL_EN_V15_Q -> new BgeSmallEnV15QuantizedEmbeddingModel();
            case OLLAMA -> OllamaEmbeddingModel.builder()
                    .httpClientBuilder(new JdkHttpClientBuilder()
                            .connectTimeout(config.ollama().connectTimeout())
                            .readTimeout(config.ollama().readTimeout()))
                    .baseUrl(config.ollama().baseUrl())
                    .modelName(spec.ollamaModel())
                    .build();
        };
    }

    private static Timer latency(MeterRegistry registry, String kind) {
        return Timer.builder("edgerag.embedding.latency").tag("kind", kind)
                .description("Time to embed one query, or one batch of passages").register(registry);
    }

    private <T> T timed(Timer timer, java.util.function.Supplier<T> work) {
        return timer == null ? work.get() : timer.record(work);
    }

    public String modelId() {
        return spec.id();
    }

    /** Tokens of input the model reads; chunks (with their title) are cut to fit. */
    public int maxInputTokens() {
        return spec.maxInputTokens();
    }

    public int dimension() {
        return spec.dimension();
    }

    /** Embeds passages in batches of {@code edgerag.ingest.embed-batch-size}; vectors are unit length. */
    public List<float[]> embedPassages(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + batchSize)).stream()
                    .map(TextSegment::from).toList();
            timed(passageLatency, () -> model.embedAll(batch)).content().forEach(e -> out.add(normalize(e.vector())));
        }
        return out;
    }

    public float[] embedQuery(String query) {
        return normalize(timed(queryLatency, () -> model.embed(spec.queryPrefix() + query)).content().vector());
    }

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm == 0 || Math.abs(norm - 1.0) < 1e-6) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
