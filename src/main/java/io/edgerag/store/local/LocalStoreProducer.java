package io.edgerag.store.local;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.faiss.FaissLocalStore;
import io.edgerag.sync.HybridLogicalClock;
import io.edgerag.sync.NodeIdentity;
import io.edgerag.sync.SyncConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * Opens the appliance's {@link LocalStore}: SQLite for durability, FAISS for search, in
 * {@code edgerag.data-dir/store}, with the dimension of the configured embedding model.
 */
@ApplicationScoped
public class LocalStoreProducer {

    private static final Logger LOG = Logger.getLogger(LocalStoreProducer.class);

    @Produces
    @Singleton
    DurableVectorStore localStore(EdgeragConfig config, LocalStoreSettings settings, Embedder embedder,
                                  NodeIdentity node, SyncConfig sync) {
        Path directory = Path.of(config.dataDir()).resolve("store");
        StoreConfig.Builder builder = StoreConfig.builder(directory, embedder.dimension())
                .indexFactory(settings.indexFactory())
                .hnswThreshold(settings.hnswThreshold())
                .compactionDeadRatio(settings.compactionDeadRatio())
                .compactionMinDead(settings.compactionMinDead())
                .snapshotInterval(settings.snapshotInterval())
                .trainMinVectors(settings.trainMinVectors())
                .exactSearchThreshold(settings.exactSearchThreshold())
                .erasurePurgeWithin(settings.erasurePurgeWithin())
                .tuning(new VectorIndex.SearchTuning(settings.efSearch().orElse(0), settings.nprobe().orElse(0)))
                .nodeId(node.id())
                .outbox(sync.enabled(), sync.outbox().budget().asLongValue())
                .textCipher(settings.encryption().keyFile().map(TextCipher::fromKeyFile).orElse(TextCipher.NONE));
        DurableVectorStore store = FaissLocalStore.open(builder.build(), new HybridLogicalClock());
        String serving = store.declareEmbeddingModel(modelOfUndeclared(store, embedder.modelId()));
        if (!serving.equals(embedder.modelId())) {
            LOG.infof("The store in %s serves %s (its own model, set by an embedding migration); edgerag.embedding.model=%s "
                    + "applies to a new, empty store only", directory.toAbsolutePath(), serving, embedder.modelId());
        }
        refuseForeignVectors(store, serving, directory);
        LOG.infof("Local store open at %s: %d live chunks, dimension %d, index %s",
                directory.toAbsolutePath(), store.chunkCount(), store.dimension(), settings.indexFactory());
        return store;
    }

    /**
     * A store from before models were declared holds one model's vectors: that one is its model (the
     * configured one when it is empty, or when it holds several, which {@link #refuseForeignVectors} refuses).
     */
    static String modelOfUndeclared(DurableVectorStore store, String configured) {
        java.util.Set<String> held = store.embeddingModels();
        return held.size() == 1 ? held.iterator().next() : configured;
    }

    /**
     * Vectors of two models can share a dimension and still live in different spaces: searching
     * bge vectors with a MiniLM query returns confident nonsense. So a store written with another
     * model is refused at start, loudly, rather than silently mixed.
     */
    static void refuseForeignVectors(DurableVectorStore store, String configuredModel, Path directory) {
        java.util.Set<String> foreign = new java.util.TreeSet<>(store.embeddingModels());
        foreign.remove(configuredModel);
        if (!foreign.isEmpty()) {
            store.close();
            throw new IllegalStateException("The store in " + directory.toAbsolutePath() + " holds vectors of "
                    + foreign + " but edgerag.embedding.model is " + configuredModel
                    + ": set edgerag.embedding.model back, or point edgerag.data-dir at a new directory and re-ingest");
            // (the store's declared model is passed here: documents of another model mean a damaged store)
        }
    }

    void close(@Disposes DurableVectorStore store) {
        store.close();
    }

    /** Open the store at startup so a broken store fails the start, not the first request. */
    void openAtStartup(@Observes StartupEvent event, LocalStore store) {
        store.dimension();
    }
}
