package io.edgerag.store.local;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link VectorIndex} plus the vectors that cannot enter it yet because it still needs training
 * (IVF, PQ). Positions stay global: buffered vector {@code i} has position {@code index.size() + i}.
 * Once {@code trainMinVectors} vectors are buffered the index is trained on them and they are added
 * in order. Until then searches over the buffered vectors are exact (they are few by definition).
 * Not thread-safe: the store calls mutators under its write lock.
 */
final class BufferedIndex implements AutoCloseable {

    private static final int MAX_TRAINING_VECTORS = 100_000;

    final VectorIndex index;
    final String factoryString;
    private final int dimension;
    private final int trainMinVectors;
    private float[] pending = new float[0];
    private int pendingCount;

    BufferedIndex(VectorIndex index, String factoryString, int trainMinVectors) {
        this.index = index;
        this.factoryString = factoryString;
        this.dimension = index.dimension();
        this.trainMinVectors = Math.max(1, trainMinVectors);
    }

    /** Every position, indexed or buffered. */
    long size() {
        return index.size() + pendingCount;
    }

    int pendingCount() {
        return pendingCount;
    }

    void add(float[] vectors, int n) {
        if (n == 0) {
            return;
        }
        if (pendingCount == 0 && index.isTrained()) {
            index.add(vectors, n);
            return;
        }
        int needed = (pendingCount + n) * dimension;
        if (pending.length < needed) {
            pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        }
        System.arraycopy(vectors, 0, pending, pendingCount * dimension, n * dimension);
        pendingCount += n;
        if (!index.isTrained() && pendingCount >= trainMinVectors) {
            int sample = Math.min(pendingCount, MAX_TRAINING_VECTORS);
            index.train(Arrays.copyOf(pending, sample * dimension), sample);
        }
        if (index.isTrained()) {
            index.add(Arrays.copyOf(pending, pendingCount * dimension), pendingCount);
            pending = new float[0];
            pendingCount = 0;
        }
    }

    /** Exact inner products of {@code query} with the allowed buffered vectors: top {@code k} as (position, score). */
    void scanPending(float[] query, int k, ByteBuffer allowed, java.util.function.BiConsumer<Long, Float> sink) {
        if (pendingCount == 0) {
            return;
        }
        long base = index.size();
        java.util.PriorityQueue<long[]> top = new java.util.PriorityQueue<>(
                (a, b) -> Float.compare(Float.intBitsToFloat((int) a[1]), Float.intBitsToFloat((int) b[1])));
        for (int i = 0; i < pendingCount; i++) {
            long p = base + i;
            if (allowed != null && (allowed.get((int) (p >>> 3)) & (1 << (p & 7))) == 0) {
                continue;
            }
            float dot = 0;
            int off = i * dimension;
            for (int j = 0; j < dimension; j++) {
                dot += query[j] * pending[off + j];
            }
            top.add(new long[] {p, Float.floatToIntBits(dot)});
            if (top.size() > k) {
                top.poll();
            }
        }
        for (long[] e : top) {
            sink.accept(e[0], Float.intBitsToFloat((int) e[1]));
        }
    }

    @Override
    public void close() {
        index.close();
    }
}
