package io.edgerag.store.local;

import java.nio.file.Path;

/** Creates and loads {@link VectorIndex}es; the store calls it at start, on recovery and on compaction. */
public interface VectorIndexFactory {

    /** A new, empty inner-product index described by a FAISS factory string ({@code Flat}, {@code HNSW32}, {@code IVF64,PQ16}...). */
    VectorIndex create(String factoryString, int dimension);

    /** Loads an index written by {@link VectorIndex#save}; throws when the file is missing or corrupt. */
    VectorIndex load(Path file);
}
