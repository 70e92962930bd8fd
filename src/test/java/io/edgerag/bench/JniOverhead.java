package io.edgerag.bench;

import io.edgerag.store.local.VectorIndex.SearchTuning;
import io.edgerag.store.local.faiss.FaissLibrary;
import io.edgerag.store.local.faiss.FaissVectorIndex;
import io.edgerag.store.local.faiss.FaissVectorIndexes;
import java.util.Arrays;

/**
 * What one call through the binding costs beyond FAISS's own work, on a 10k flat index, one OpenMP
 * thread. Four timings (µs per query, mean of many calls, best of 5 rounds):
 * <ol>
 *   <li>a single-query search on the 10k flat index (what an application pays);</li>
 *   <li>the same queries in batches of 16: FAISS 1.7.3 uses the same non-BLAS kernel below 20 queries,
 *       so single minus batch-of-16 per query ≈ the per-call cost (JNI crossing, buffer copies, result
 *       arrays, parameter objects);</li>
 *   <li>a single-query search on an empty flat index: the fixed cost of a search call with no work;</li>
 *   <li>a trivial JNI call ({@code ntotal}), the floor of any crossing.</li>
 * </ol>
 * Batches of 1000 (BLAS path) are shown too, but they differ in algorithm, not only in call overhead.
 */
final class JniOverhead {

    private JniOverhead() {
    }

    static String measure(Dataset data) {
        int d = Dataset.DIM;
        int n = Math.min(10_000, data.n);
        FaissLibrary.setThreads(1);
        try (FaissVectorIndex flat = FaissVectorIndexes.create("Flat", d);
             FaissVectorIndex empty = FaissVectorIndexes.create("Flat", d)) {
            flat.add(Arrays.copyOf(data.base, n * d), n);
            float[][] singles = new float[data.nq][];
            for (int q = 0; q < data.nq; q++) {
                singles[q] = data.query(q);
            }
            int calls = 3000;
            double single = best(() -> {
                for (int i = 0; i < calls; i++) {
                    flat.search(singles[i % data.nq], 1, 10, null, SearchTuning.DEFAULT);
                }
            }, calls);
            int b16 = 16;
            int batches = calls / b16;
            float[][] batch16 = new float[data.nq / b16][];
            for (int b = 0; b < batch16.length; b++) {
                batch16[b] = Arrays.copyOfRange(data.queries, b * b16 * d, (b + 1) * b16 * d);
            }
            double per16 = best(() -> {
                for (int i = 0; i < batches; i++) {
                    flat.search(batch16[i % batch16.length], b16, 10, null, SearchTuning.DEFAULT);
                }
            }, batches * b16);
            float[] big = new float[1000 * d];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(data.queries, (i % data.nq) * d, big, i * d, d);
            }
            double per1000 = best(() -> flat.search(big, 1000, 10, null, SearchTuning.DEFAULT), 1000);
            int emptyCalls = 20_000;
            double emptyCall = best(() -> {
                for (int i = 0; i < emptyCalls; i++) {
                    empty.search(singles[i % data.nq], 1, 10, null, SearchTuning.DEFAULT);
                }
            }, emptyCalls);
            int trivialCalls = 1_000_000;
            long[] sink = new long[1];
            double trivial = best(() -> {
                for (int i = 0; i < trivialCalls; i++) {
                    sink[0] += flat.size();
                }
            }, trivialCalls);
            return String.format(
                    "JNI overhead (10k x %d flat index, 1 OpenMP thread, variant %s; µs per query, best of 5):%n%n"
                    + "| measurement | µs |%n|---|---:|%n"
                    + "| single-query search, 10k flat | %.1f |%n"
                    + "| per query in batches of 16 (same kernel) | %.1f |%n"
                    + "| → per-call overhead (single − batch16) | %.1f |%n"
                    + "| single-query search on an empty flat index | %.1f |%n"
                    + "| trivial JNI call (ntotal) | %.3f |%n"
                    + "| per query in a batch of 1000 (BLAS path, different algorithm) | %.1f |%n",
                    d, FaissLibrary.loadedVariant(), single, per16, single - per16, emptyCall, trivial, per1000)
                    + String.format("%nSingle-call overhead (empty-index search) is %.1f%% of a 10k flat single-query search.%n",
                    100 * emptyCall / single);
        }
    }

    private static double best(Runnable body, int queries) {
        body.run(); // warm-up
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            body.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / queries);
        }
        return best;
    }
}
