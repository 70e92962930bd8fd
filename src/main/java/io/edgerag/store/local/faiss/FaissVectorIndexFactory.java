package io.edgerag.store.local.faiss;

import io.edgerag.store.local.VectorIndex;
import io.edgerag.store.local.VectorIndexFactory;
import java.nio.file.Path;

/** {@link VectorIndexFactory} backed by FAISS (inner product): what the store uses in production. */
public final class FaissVectorIndexFactory implements VectorIndexFactory {

    public static final FaissVectorIndexFactory INSTANCE = new FaissVectorIndexFactory();

    private FaissVectorIndexFactory() {
    }

    @Override
    public VectorIndex create(String factoryString, int dimension) {
        return FaissVectorIndexes.create(factoryString, dimension);
    }

    @Override
    public VectorIndex load(Path file) {
        return FaissVectorIndexes.load(file);
    }
}
