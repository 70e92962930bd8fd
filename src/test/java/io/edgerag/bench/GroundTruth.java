package io.edgerag.bench;

import io.edgerag.store.local.VectorIndex.SearchTuning;
import io.edgerag.store.local.faiss.FaissVectorIndex;
import io.edgerag.store.local.faiss.FaissVectorIndexes;
import java.util.Arrays;

/** Exact top-k by FAISS Flat (brute-force inner product), spot-checked against plain Java dot products. */
final class GroundTruth {

    private GroundTruth() {
    }

    static long[] exactTopK(Dataset data, int k) {
        int d = Dataset.DIM;
        try (FaissVectorIndex flat = FaissVectorIndexes.create("Flat", d)) {
            for (int from = 0; from < data.n; from += 50_000) {
                int m = Math.min(50_000, data.n - from);
                flat.add(Arrays.copyOfRange(data.base, from * d, (from + m) * d), m);
            }
            return flat.search(data.queries, data.nq, k, null, SearchTuning.DEFAULT).positions();
        }
    }

    /**
     * Recomputes the top-k of {@code sample} queries (spread over the query set) with Java dot products;
     * returns how many agree with {@code truth} as sets (a swap between two equal scores counts as agreement).
     */
    static int verify(Dataset data, long[] truth, int k, int sample) {
        int d = Dataset.DIM;
        int agree = 0;
        for (int s = 0; s < sample; s++) {
            int q = (int) ((long) s * data.nq / sample);
            float[] scores = new float[data.n];
            for (int i = 0; i < data.n; i++) {
                float dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += data.queries[q * d + j] * data.base[i * d + j];
                }
                scores[i] = dot;
            }
            float[] sorted = scores.clone();
            Arrays.sort(sorted);
            float kth = sorted[data.n - k];
            boolean ok = true;
            for (int i = 0; i < k; i++) {
                long p = truth[q * k + i];
                if (p < 0 || scores[(int) p] < kth - 1e-5f) {
                    ok = false;
                }
            }
            if (ok) {
                agree++;
            }
        }
        return agree;
    }
}
