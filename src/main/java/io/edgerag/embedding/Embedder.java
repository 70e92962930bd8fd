package io.edgerag.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import io.edgerag.common.LowPriorityThreads;
import io.edgerag.config.EdgeragConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The configured embedding model, with the per-model query prefix and batching applied. Every call
 * blocks (ONNX inference or HTTP): run it on a worker thread.
 *
 * <p>An in-process model is opened twice: a query session that may use {@code edgerag.embedding.query-threads}
 * cores (a search waits for it), and a single-threaded passage session called from
 * {@code edgerag.embedding.passage-threads} threads of the lowest CPU priority ({@link LowPriorityThreads}):
 * ingest, connectors and sync re-embedding want throughput, nobody waits on one call, and a bulk ingest must
 * leave the cores to the searches the moment they want them (issue 10; {@link InProcessOnnxModel}). A chat
 * turn's retrieval uses the single-threaded session too, from threads of its own priority.
 */
@ApplicationScoped
public class Embedder {

    /** Bumped when the way vectors are made changes (prefixing, normalisation), so old vectors can be found. */
    public static final int SCHEMA_VERSION = 1;

    private final EmbeddingSpec spec;
    private final EmbeddingModel queryModel;
    private final EmbeddingModel passageModel;
    private final ExecutorService bulk;
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
        if (spec.kind() == EmbeddingSpec.Kind.OLLAMA) {
            this.queryModel = OllamaEmbeddingModel.builder()
                    .httpClientBuilder(new JdkHttpClientBuilder()
                            .connectTimeout(config.ollama().connectTimeout())
                            .readTimeout(config.ollama().readTimeout()))
                    .baseUrl(config.ollama().baseUrl())
                    .modelName(spec.ollamaModel())
                    .build();
            this.passageModel = queryModel;
            this.bulk = null;
        } else {
            int cores = Runtime.getRuntime().availableProcessors();
            this.queryModel = InProcessOnnxModel.open(spec, config.embedding().queryThreads().orElse(cores));
            int passageThreads = config.embedding().passageThreads().orElse(Math.max(1, cores / 2));
            this.passageModel = InProcessOnnxModel.open(spec, 1);
            this.bulk = Executors.newFixedThreadPool(passageThreads,
                    new LowPriorityThreads("edgerag-embed-passages", LowPriorityThreads.BULK));
        }
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

    /**
     * Embeds passages in batches of {@code edgerag.ingest.embed-batch-size}, on the low-priority passage threads
     * (in-process models); vectors are unit length.
     */
    public List<float[]> embedPassages(List<String> texts) {
        return bulk == null ? embedPassagesHere(texts) : on(bulk, () -> embedPassagesHere(texts));
    }

    private static <T> T on(ExecutorService threads, java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, threads).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private List<float[]> embedPassagesHere(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + batchSize)).stream()
                    .map(TextSegment::from).toList();
            timed(passageLatency, () -> passageModel.embedAll(batch)).content().forEach(e -> out.add(normalize(e.vector())));
        }
        return out;
    }

    /** A search's query: all the cores it may use, at normal priority — a person waits for it. */
    public float[] embedQuery(String query) {
        return normalize(timed(queryLatency, () -> queryModel.embed(spec.queryPrefix() + query)).content().vector());
    }

    /**
     * A query on one core, on the calling thread: for callers that run at a low priority themselves (a chat
     * turn's retrieval, {@code RetrievalService}), whose cores a search may take at any moment.
     */
    public float[] embedQueryOnOneCore(String query) {
        return normalize(timed(queryLatency, () -> passageModel.embed(spec.queryPrefix() + query)).content().vector());
    }

    /** Stops the embedding threads and frees the ONNX sessions (shutdown, dev-mode reload). */
    @jakarta.annotation.PreDestroy
    void close() {
        if (bulk != null) {
            bulk.shutdownNow();
        }
        for (EmbeddingModel m : List.of(queryModel, passageModel)) {
            if (m instanceof InProcessOnnxModel onnx) {
                onnx.close();
            }
        }
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
