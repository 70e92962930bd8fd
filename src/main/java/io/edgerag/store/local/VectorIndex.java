package io.edgerag.store.local;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An approximate-nearest-neighbour index over fixed-dimension float vectors, addressed by
 * <em>position</em>: the n-th vector ever added has position n-1. Positions are never reused and
 * never removed; callers exclude dead positions with an allow-bitmap at search time and rebuild the
 * index (compaction) to reclaim space. This matches what every FAISS index type can do, including a
 * bare HNSW index, which cannot remove vectors at all.
 *
 * <p>Thread-safety: {@link #search} may run concurrently from many threads; {@link #add},
 * {@link #train} and {@link #save} must be serialised by the caller against each other and against
 * searches (a read-write lock, searches on the read side).
 *
 * <p>Implementations do blocking native work: never call them from a Vert.x event-loop thread.
 */
public interface VectorIndex extends AutoCloseable {

    /** Vector dimension, fixed at creation. */
    int dimension();

    /** Number of positions added so far (FAISS {@code ntotal}). */
    long size();

    /** False only for index types that must be trained (IVF, PQ) and have not been yet. */
    boolean isTrained();

    /** Trains the index on {@code n} row-major vectors; a no-op for types that need no training. */
    void train(float[] vectors, int n);

    /** Appends {@code n} row-major vectors; they get positions {@code size() .. size()+n-1}. */
    void add(float[] vectors, int n);

    /**
     * Searches {@code nq} row-major queries for their {@code k} nearest positions.
     *
     * @param allowed a direct bitmap, bit {@code p} (byte {@code p>>3}, bit {@code p&7}) set when
     *                position {@code p} may be returned; {@code null} allows every position. The
     *                exclusion happens inside the index search, so k live results come back even
     *                when many positions are dead.
     * @param tuning  per-call search parameters (efSearch, nprobe); {@link SearchTuning#DEFAULT} for
     *                the index's own defaults.
     * @return hits with inner-product / distance scores as FAISS reports them and position -1 for
     *         empty slots.
     */
    SearchHits search(float[] queries, int nq, int k, ByteBuffer allowed, SearchTuning tuning);

    /** Writes the index to {@code file} (the caller makes it atomic: temp file + fsync + rename). */
    void save(Path file);

    @Override
    void close();

    /** Per-call search parameters; zero means "the index's default". */
    record SearchTuning(int efSearch, int nprobe) {
        public static final SearchTuning DEFAULT = new SearchTuning(0, 0);
    }

    /** Row-major results: {@code positions[q*k + i]} and {@code scores[q*k + i]}. */
    record SearchHits(int nq, int k, long[] positions, float[] scores) {
    }
}
