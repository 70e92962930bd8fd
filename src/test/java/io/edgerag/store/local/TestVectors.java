package io.edgerag.store.local;

import java.util.Random;

/** Deterministic random vectors for tests. */
public final class TestVectors {

    private TestVectors() {
    }

    public static float[] random(long seed, int dim) {
        Random r = new Random(seed);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    public static float[] seeded(String key, int dim) {
        return random(key.hashCode() * 31L + 7, dim);
    }

    /** A vector close to {@code base} (cosine near 1). */
    public static float[] near(float[] base, long seed, double noise) {
        Random r = new Random(seed);
        float[] v = base.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (r.nextGaussian() * noise);
        }
        return v;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
