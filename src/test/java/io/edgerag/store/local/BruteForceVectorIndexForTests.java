package io.edgerag.store.local;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Exact inner-product {@link VectorIndex} in plain Java, for pure-logic tests only (not FAISS). */
public final class BruteForceVectorIndexForTests implements VectorIndex {

    public static final VectorIndexFactory FACTORY = new VectorIndexFactory() {
        @Override
        public VectorIndex create(String factoryString, int dimension) {
            return new BruteForceVectorIndexForTests(dimension);
        }

        @Override
        public VectorIndex load(Path file) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                if (in.readInt() != 0xB7F0) {
                    throw new IllegalStateException("not a brute-force index file: " + file);
                }
                int dim = in.readInt();
                int n = in.readInt();
                BruteForceVectorIndexForTests index = new BruteForceVectorIndexForTests(dim);
                float[] v = new float[n * dim];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                index.add(v, n);
                return index;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final int dimension;
    private float[] data = new float[0];
    private int size;

    public BruteForceVectorIndexForTests(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isTrained() {
        return true;
    }

    @Override
    public void train(float[] vectors, int n) {
    }

    @Override
    public synchronized void add(float[] vectors, int n) {
        data = Arrays.copyOf(data, (size + n) * dimension);
        System.arraycopy(vectors, 0, data, size * dimension, n * dimension);
        size += n;
    }

    @Override
    public SearchHits search(float[] queries, int nq, int k, ByteBuffer allowed, SearchTuning tuning) {
        long[] positions = new long[nq * k];
        float[] scores = new float[nq * k];
        Arrays.fill(positions, -1);
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int q = 0; q < nq; q++) {
            for (int p = 0; p < size; p++) {
                if (allowed != null && (allowed.get(p >>> 3) & (1 << (p & 7))) == 0) {
                    continue;
                }
                float dot = 0;
                for (int j = 0; j < dimension; j++) {
                    dot += queries[q * dimension + j] * data[p * dimension + j];
                }
                int base = q * k;
                if (dot > scores[base + k - 1] || positions[base + k - 1] < 0) {
                    int i = k - 1;
                    while (i > 0 && (positions[base + i - 1] < 0 || scores[base + i - 1] < dot)) {
                        scores[base + i] = scores[base + i - 1];
                        positions[base + i] = positions[base + i - 1];
                        i--;
                    }
                    scores[base + i] = dot;
                    positions[base + i] = p;
                }
            }
        }
        return new SearchHits(nq, k, positions, scores);
    }

    @Override
    public void save(Path file) {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0xB7F0);
            out.writeInt(dimension);
            out.writeInt(size);
            for (int i = 0; i < size * dimension; i++) {
                out.writeFloat(data[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
    }
}
