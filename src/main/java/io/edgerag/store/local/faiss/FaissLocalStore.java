package io.edgerag.store.local.faiss;

import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreConfig;

/**
 * Opens the appliance's {@link io.edgerag.store.local.LocalStore}: a {@link DurableVectorStore}
 * with FAISS indexes. The same engine can back a {@link FaissEmbeddingStore} for LangChain4j.
 */
public final class FaissLocalStore {

    private FaissLocalStore() {
    }

    public static DurableVectorStore open(StoreConfig config) {
        return DurableVectorStore.open(config, FaissVectorIndexFactory.INSTANCE);
    }

    /** With the versions of writes drawn from {@code clock} (a hybrid logical clock in the appliance). */
    public static DurableVectorStore open(StoreConfig config, io.edgerag.store.local.VersionClock clock) {
        return DurableVectorStore.open(config, FaissVectorIndexFactory.INSTANCE, clock);
    }
}
