package io.edgerag.embedding;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.store.local.DurableVectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedding models this node uses, by id: the one its store serves now ({@link #serving()}), which an
 * embedding migration changes at cut-over, and a migration's other model. The configured {@link Embedder}
 * is reused for its own id; another model is loaded once, on first use.
 */
@ApplicationScoped
public class EmbeddingModels {

    private final EdgeragConfig config;
    private final MeterRegistry registry;
    private final DurableVectorStore store;
    private final Map<String, Embedder> loaded = new ConcurrentHashMap<>();
    private final Embedder configured;

    public EmbeddingModels(EdgeragConfig config, MeterRegistry registry, DurableVectorStore store, Embedder configured) {
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.configured = configured;
        loaded.put(configured.modelId(), configured);
    }

    /** Frees the models loaded here (the configured one is a bean of its own, closed by the container). */
    @jakarta.annotation.PreDestroy
    void close() {
        loaded.values().stream().filter(e -> e != configured).forEach(Embedder::close);
    }

    /** The model id searches and writes use now: the store's, which wins over {@code edgerag.embedding.model}. */
    public String servingId() {
        String active = store.activeEmbeddingModel();
        return active == null ? config.embedding().model().trim() : active;
    }

    public Embedder serving() {
        return forModel(servingId());
    }

    /** Blocks while a model loads (ONNX weights): call it on a worker thread. */
    public Embedder forModel(String modelId) {
        return loaded.computeIfAbsent(modelId, id -> new Embedder(config, registry, id));
    }

    /** What a model id means, or a 400 naming the ids there are. */
    public EmbeddingSpec specOf(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw new InvalidRequestException("targetModel is required: all-minilm-l6-v2, bge-small-en-v15-q or ollama:<model>");
        }
        try {
            return EmbeddingSpec.of(modelId, java.util.Optional.empty(), config.embedding().dimension());
        } catch (IllegalStateException e) {
            throw new InvalidRequestException(e.getMessage().replace("edgerag.embedding.model", "targetModel"));
        }
    }
}
