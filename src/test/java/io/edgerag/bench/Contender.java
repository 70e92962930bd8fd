package io.edgerag.bench;

import java.util.List;

/**
 * One engine under test, over a {@link Dataset}'s base vectors (position i = base vector i).
 * {@link #search} must be safe to call from several threads at once.
 */
interface Contender extends AutoCloseable {

    /** Row label, e.g. "FAISS HNSW32 (avx2)". */
    String name();

    /** Builds the index over {@code n} row-major normalised vectors of dimension {@code d}. */
    void build(float[] base, int n, int d) throws Exception;

    /** Search-time knob values to try, smallest (fastest) first; a single value when there is none. */
    default List<Integer> tuningSteps() {
        return List.of(0);
    }

    /** What the knob is called in the table ("efSearch", "nprobe", "k'"), or "" when none. */
    default String tuningName() {
        return "";
    }

    /** Sets the knob to one of {@link #tuningSteps()}. */
    default void tune(int value) {
    }

    /** Called once on each worker thread before it searches (e.g. to pin FAISS to one OpenMP thread). */
    default void prepareThread() {
    }

    /** Positions of the {@code k} nearest base vectors to {@code query} (inner product), best first. */
    long[] search(float[] query, int k) throws Exception;

    /** Bytes the index occupies on disk / serialised, or -1 when unknown. */
    default long indexBytes() {
        return -1;
    }

    /** Build threads and other remarks for the table. */
    default String note() {
        return "";
    }

    @Override
    void close() throws Exception;
}
