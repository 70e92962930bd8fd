package io.edgerag.store.local.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgerag.store.local.VectorIndex.SearchHits;
import io.edgerag.store.local.VectorIndex.SearchTuning;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FAISS through the project's JavaCPP preset; no mocks. */
class FaissVectorIndexTest {

    static final int D = 32;

    /**
     * Normalised vectors from a mixture of Gaussians around {@code centres} centres, living (up to
     * small isotropic noise) in a 24-d random subspace of R^d, like real embeddings whose intrinsic
     * dimension is far below d; not uniform random, where nearest neighbours are meaningless. The
     * centres and the subspace depend only on (d, centres), so base and query sets drawn with
     * different seeds come from the same distribution.
     */
    static float[] clustered(int n, int d, int centres, long seed) {
        Random shared = new Random(31L * d + centres);
        int latent = 24;
        float[][] basis = new float[latent][d];
        for (float[] row : basis) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) shared.nextGaussian();
            }
        }
        float[][] c = new float[centres][latent];
        for (float[] row : c) {
            for (int l = 0; l < latent; l++) {
                row[l] = (float) shared.nextGaussian();
            }
        }
        Random r = new Random(seed);
        float[] out = new float[n * d];
        float[] z = new float[latent];
        for (int i = 0; i < n; i++) {
            float[] centre = c[r.nextInt(centres)];
            for (int l = 0; l < latent; l++) {
                z[l] = centre[l] + 0.4f * (float) r.nextGaussian();
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float v = 0.1f * (float) r.nextGaussian();
                for (int l = 0; l < latent; l++) {
                    v += z[l] * basis[l][j];
                }
                out[i * d + j] = v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                out[i * d + j] *= inv;
            }
        }
        return out;
    }

    static ByteBuffer bitmap(long n, java.util.function.LongPredicate allowed) {
        ByteBuffer b = ByteBuffer.allocateDirect((int) ((n + 7) / 8));
        for (long p = 0; p < n; p++) {
            if (allowed.test(p)) {
                int i = (int) (p >> 3);
                b.put(i, (byte) (b.get(i) | (1 << (p & 7))));
            }
        }
        return b;
    }

    static float dot(float[] a, int ai, float[] b, int bi, int d) {
        float s = 0;
        for (int j = 0; j < d; j++) {
            s += a[ai * d + j] * b[bi * d + j];
        }
        return s;
    }

    @Test
    void should_load_native_library_once_and_report_variant() {
        FaissLibrary.Variant v = FaissLibrary.load();
        assertThat(FaissLibrary.load()).isSameAs(v);
        assertThat(FaissLibrary.maxThreads()).isPositive();
        FaissLibrary.setThreads(1);
        assertThat(FaissLibrary.maxThreads()).isEqualTo(1);
        FaissLibrary.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void should_return_exact_inner_product_neighbours_with_flat() {
        float[] xb = clustered(2000, D, 20, 1);
        float[] xq = clustered(5, D, 20, 2);
        try (FaissVectorIndex index = FaissVectorIndexes.create("Flat", D)) {
            index.add(xb, 2000);
            assertThat(index.size()).isEqualTo(2000);
            assertThat(index.isTrained()).isTrue();
            SearchHits hits = index.search(xq, 5, 10, null, SearchTuning.DEFAULT);
            assertThat(hits.positions()).hasSize(50);
            for (int q = 0; q < 5; q++) {
                int best = 0;
                float bestScore = -Float.MAX_VALUE;
                for (int i = 0; i < 2000; i++) {
                    float s = dot(xq, q, xb, i, D);
                    if (s > bestScore) {
                        bestScore = s;
                        best = i;
                    }
                }
                assertThat(hits.positions()[q * 10]).isEqualTo(best);
                assertThat(hits.scores()[q * 10]).isCloseTo(bestScore, org.assertj.core.data.Offset.offset(1e-4f));
                for (int i = 1; i < 10; i++) {
                    assertThat(hits.scores()[q * 10 + i]).isLessThanOrEqualTo(hits.scores()[q * 10 + i - 1]);
                }
            }
        }
    }

    @Test
    void should_exclude_positions_not_in_allow_bitmap_in_flat_hnsw_and_ivf() {
        float[] xb = clustered(3000, D, 30, 3);
        float[] xq = clustered(4, D, 30, 4);
        ByteBuffer evenOnly = bitmap(3000, p -> p % 2 == 0);
        for (String factory : new String[] {"Flat", "HNSW16", "IVF16,Flat", "PQ8x4"}) {
            try (FaissVectorIndex index = FaissVectorIndexes.create(factory, D)) {
                index.train(xb, 3000);
                index.add(xb, 3000);
                SearchHits hits = index.search(xq, 4, 20, evenOnly, new SearchTuning(64, 16));
                for (long p : hits.positions()) {
                    assertThat(p).as(factory).isNotNegative();
                    assertThat(p % 2).as(factory + " returned excluded position " + p).isZero();
                }
            }
        }
    }

    @Test
    void should_treat_positions_beyond_bitmap_as_excluded() {
        // Flat: exhaustive, so all 8 allowed positions must come back. (HNSW with a selector this
        // selective may return fewer than k in FAISS 1.7.3: the filter applies to results, not traversal.)
        float[] xb = clustered(100, D, 5, 5);
        try (FaissVectorIndex index = FaissVectorIndexes.create("Flat", D)) {
            index.add(xb, 100);
            ByteBuffer firstEight = bitmap(8, p -> true);
            SearchHits hits = index.search(java.util.Arrays.copyOf(xb, D), 1, 20, firstEight, SearchTuning.DEFAULT);
            long live = java.util.Arrays.stream(hits.positions()).filter(p -> p >= 0).count();
            assertThat(live).isEqualTo(8);
            assertThat(java.util.Arrays.stream(hits.positions()).allMatch(p -> p < 8)).isTrue();
        }
    }

    @Test
    void should_round_trip_through_save_and_load(@TempDir Path dir) {
        float[] xb = clustered(1000, D, 10, 6);
        float[] xq = clustered(3, D, 10, 7);
        Path file = dir.resolve("index.faiss");
        SearchHits before;
        try (FaissVectorIndex index = FaissVectorIndexes.create("HNSW16", D)) {
            index.add(xb, 1000);
            before = index.search(xq, 3, 10, null, new SearchTuning(64, 0));
            index.save(file);
        }
        try (FaissVectorIndex loaded = FaissVectorIndexes.load(file)) {
            assertThat(loaded.dimension()).isEqualTo(D);
            assertThat(loaded.size()).isEqualTo(1000);
            SearchHits after = loaded.search(xq, 3, 10, null, new SearchTuning(64, 0));
            assertThat(after.positions()).containsExactly(before.positions());
        }
    }

    @Test
    void should_train_and_search_ivf_pq() {
        // small on purpose: PQ training is k-means per sub-quantizer and CI shares 2 cores
        int d = 32;
        float[] xb = clustered(5000, d, 50, 8);
        try (FaissVectorIndex index = FaissVectorIndexes.create("IVF32,PQ16x4", d)) {
            assertThat(index.isTrained()).isFalse();
            assertThatThrownBy(() -> index.add(xb, 5000)).isInstanceOf(IllegalStateException.class);
            index.train(xb, 5000);
            assertThat(index.isTrained()).isTrue();
            index.add(xb, 5000);
            SearchHits hits = index.search(java.util.Arrays.copyOf(xb, 10 * d), 10, 5, null, new SearchTuning(0, 8));
            int selfFound = 0;
            for (int q = 0; q < 10; q++) {
                for (int i = 0; i < 5; i++) {
                    if (hits.positions()[q * 5 + i] == q) {
                        selfFound++;
                    }
                }
            }
            assertThat(selfFound).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void should_reject_bad_input_with_illegal_argument() {
        try (FaissVectorIndex index = FaissVectorIndexes.create("Flat", 4)) {
            assertThatThrownBy(() -> index.add(new float[5], 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dimension mismatch");
            assertThatThrownBy(() -> index.add(new float[0], 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("n must be > 0");
            assertThatThrownBy(() -> index.add(new float[] {1, Float.NaN, 0, 0}, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
            index.add(new float[] {1, 0, 0, 0}, 1);
            assertThatThrownBy(() -> index.search(new float[4], 1, 0, null, SearchTuning.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be > 0");
            assertThatThrownBy(() -> index.search(new float[3], 1, 1, null, SearchTuning.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension mismatch");
        }
        assertThatThrownBy(() -> FaissVectorIndexes.create("Flat", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaissVectorIndexes.create("NoSuchIndex", 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchIndex");
    }

    @Test
    void should_refuse_use_after_close() {
        FaissVectorIndex index = FaissVectorIndexes.create("Flat", 4);
        index.close();
        index.close();
        assertThatThrownBy(index::size).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_reach_recall_at_10_of_95_percent_with_hnsw_on_clustered_384d() {
        int n = 50_000;
        int d = 384;
        int nq = 200;
        float[] xb = clustered(n, d, 500, 11);
        float[] xq = clustered(nq, d, 500, 12);
        FaissLibrary.setThreads(Runtime.getRuntime().availableProcessors());
        SearchHits exact;
        try (FaissVectorIndex flat = FaissVectorIndexes.create("Flat", d)) {
            flat.add(xb, n);
            exact = flat.search(xq, nq, 10, null, SearchTuning.DEFAULT);
        }
        try (FaissVectorIndex hnsw = FaissVectorIndexes.create("HNSW16", d, 40)) {
            hnsw.add(xb, n);
            hnsw.setDefaultEfSearch(16);
            double wide = recallAt10(exact, hnsw.search(xq, nq, 10, null, new SearchTuning(200, 0)), nq);
            double narrow = recallAt10(exact, hnsw.search(xq, nq, 10, null, new SearchTuning(16, 0)), nq);
            System.out.printf("HNSW16 efC=40 recall@10: efSearch 200 per call = %.4f, 16 per call = %.4f%n", wide, narrow);
            assertThat(wide).isGreaterThanOrEqualTo(0.95);
            // FAISS 1.7.3 ignored a per-call efSearch for the candidate heap (our build patches it)
            assertThat(wide).as("a per-call efSearch above the index default must widen the search").isGreaterThan(narrow);
        }
    }

    private static double recallAt10(SearchHits exact, SearchHits approx, int nq) {
        int hit = 0;
        for (int q = 0; q < nq; q++) {
            Set<Long> truth = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                truth.add(exact.positions()[q * 10 + i]);
            }
            for (int i = 0; i < 10; i++) {
                if (truth.contains(approx.positions()[q * 10 + i])) {
                    hit++;
                }
            }
        }
        return hit / (double) (nq * 10);
    }
}
