package io.edgerag.store.local.faiss;

import io.edgerag.store.local.faiss.jni.FaissIndex;
import io.edgerag.store.local.faiss.jni.global.faiss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Creates and loads {@link FaissVectorIndex}es (inner-product metric). */
public final class FaissVectorIndexes {

    /** Default HNSW efConstruction (FAISS's own default is 40). */
    public static final int DEFAULT_EF_CONSTRUCTION = 40;

    private FaissVectorIndexes() {
    }

    /**
     * Creates an empty index from a FAISS factory string, e.g. {@code "Flat"}, {@code "HNSW32"},
     * {@code "IVF256,PQ32"}, with the inner-product metric (normalise vectors for cosine).
     */
    public static FaissVectorIndex create(String factoryString, int dimension) {
        return create(factoryString, dimension, DEFAULT_EF_CONSTRUCTION);
    }

    /** As {@link #create(String, int)}, with HNSW's efConstruction (ignored by other types). */
    public static FaissVectorIndex create(String factoryString, int dimension, int efConstruction) {
        Objects.requireNonNull(factoryString, "factoryString");
        if (factoryString.isBlank()) {
            throw new IllegalArgumentException("factoryString must not be blank");
        }
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + dimension);
        }
        if (efConstruction <= 0) {
            throw new IllegalArgumentException("efConstruction must be > 0, got " + efConstruction);
        }
        FaissLibrary.load();
        FaissIndex index;
        try {
            index = faiss.index_factory(dimension, factoryString, faiss.METRIC_INNER_PRODUCT);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("FAISS cannot build index '" + factoryString + "' for dimension "
                    + dimension + ": " + e.getMessage(), e);
        }
        FaissVectorIndex result = new FaissVectorIndex(index, factoryString);
        if (result.kind() == FaissVectorIndex.Kind.HNSW) {
            result.setEfConstruction(efConstruction);
        }
        return result;
    }

    /** Loads an index written by {@link FaissVectorIndex#save(Path)}. */
    public static FaissVectorIndex load(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no index file at " + file);
        }
        FaissLibrary.load();
        FaissIndex index;
        try {
            index = faiss.read_index(file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read FAISS index " + file + ": " + e.getMessage(), e);
        }
        return new FaissVectorIndex(index, file.getFileName().toString());
    }
}
