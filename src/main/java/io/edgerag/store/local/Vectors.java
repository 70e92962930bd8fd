package io.edgerag.store.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vector checks and the on-disk encoding (little-endian float32). */
final class Vectors {

    private Vectors() {
    }

    static void check(float[] vector, int dimension, String what) {
        if (vector == null) {
            throw new InvalidStoreRequestException(what + ": vector is missing");
        }
        if (vector.length != dimension) {
            throw new InvalidStoreRequestException(
                    what + ": vector has dimension " + vector.length + ", the store has " + dimension);
        }
        double norm = 0;
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw new InvalidStoreRequestException(what + ": vector contains NaN or Infinity");
            }
            norm += (double) v * v;
        }
        if (norm == 0) {
            throw new InvalidStoreRequestException(what + ": zero vector has no direction (cosine undefined)");
        }
    }

    static float[] normalized(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[vector.length];
        if (norm == 0) {
            return out;
        }
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }

    /** Cosine of a normalised query with a stored (not necessarily normalised) vector. */
    static double cosine(float[] normalizedQuery, float[] stored) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < stored.length; i++) {
            dot += (double) normalizedQuery[i] * stored[i];
            norm += (double) stored[i] * stored[i];
        }
        if (norm == 0) {
            return 0;
        }
        return Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(norm))); // rounding must not leave [-1, 1]
    }

    static byte[] toBlob(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] fromBlob(byte[] blob) {
        float[] out = new float[blob.length / Float.BYTES];
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
