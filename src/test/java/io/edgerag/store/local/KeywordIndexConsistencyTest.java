package io.edgerag.store.local;

import static io.edgerag.store.local.StoreFixtures.DIM;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyword (Lucene BM25) index and the vector index are two views of the same SQLite rows: after
 * every update, delete, restart, crash and compaction, both must see exactly the live chunks, and
 * filters must act inside the keyword search too.
 */
class KeywordIndexConsistencyTest {

    @TempDir
    Path dir;

    private final List<DurableVectorStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(DurableVectorStore::close);
    }

    private DurableVectorStore open(Path directory, StoreConfig.Builder config) {
        DurableVectorStore s = DurableVectorStore.open(config.build(), TestIndexes.factory());
        opened.add(s);
        return s;
    }

    private DurableVectorStore open() {
        return open(dir, StoreFixtures.config(dir, "Flat"));
    }

    private DurableVectorStore reopen(DurableVectorStore s) {
        s.close();
        opened.remove(s);
        return open(s.config().directory(), s.config().toBuilder());
    }

    private static DocumentWrite doc(String docId, String text, String collection, Map<String, String> metadata) {
        return new DocumentWrite(docId, "Report " + docId, "file:///docs/" + docId + ".md", collection, metadata,
                "h-" + docId + "-" + text.hashCode(), "test-model", 1,
                List.of(new DocumentWrite.ChunkWrite(docId + "#0", text, TestVectors.seeded(docId + "/" + text, DIM))));
    }

    private static DocumentWrite doc(String docId, String text) {
        return doc(docId, text, "default", Map.of());
    }

    private static List<String> keywordDocs(DurableVectorStore s, String query, int k, SearchFilter filter) {
        return s.search(TestVectors.seeded(query, DIM), query, new SearchRequest(k, -1.0, filter), RankedHits.Wanted.KEYWORD)
                .byKeyword().stream().map(ChunkHit::docId).toList();
    }

    private static List<String> keywordDocs(DurableVectorStore s, String query) {
        return keywordDocs(s, query, 10, SearchFilter.NONE);
    }

    @Test
    void should_find_exact_terms_with_bm25_and_report_cosine_and_keyword_score() {
        DurableVectorStore s = open();
        s.upsert(doc("pump", "The XK-4411 pump needs its impeller replaced every 2,000 hours of running."));
        s.upsert(doc("valve", "Valves on the cooling loop are inspected monthly for leaks."));
        s.upsert(doc("fan", "Fans running hot usually point at a clogged filter."));

        RankedHits hits = s.search(TestVectors.seeded("q", DIM), "when is the xk-4411 impeller replaced?",
                SearchRequest.topK(3), RankedHits.Wanted.BOTH);

        assertThat(hits.byKeyword()).extracting(ChunkHit::docId).first().isEqualTo("pump");
        ChunkHit top = hits.byKeyword().get(0);
        assertThat(top.keywordScore()).isPositive();
        assertThat(top.score()).isBetween(-1.0, 1.0); // cosine of the stored vector, for the confidence signal
        assertThat(top.text()).contains("XK-4411");
        assertThat(hits.byVector()).hasSize(3); // the dense ranking of the same view
        // the English analyzer stems and drops stop words: "inspections" finds "inspected"
        assertThat(keywordDocs(s, "valve inspections")).containsExactly("valve");
        assertThat(keywordDocs(s, "the of a")).isEmpty();
    }

    @Test
    void should_forget_old_text_on_update_and_deleted_documents_everywhere() {
        DurableVectorStore s = open();
        s.upsert(doc("a", "zirconium gasket specification"));
        s.upsert(doc("b", "copper gasket specification"));

        s.upsert(doc("a", "titanium bracket specification"));
        s.delete("b");

        assertThat(keywordDocs(s, "zirconium")).isEmpty();
        assertThat(keywordDocs(s, "titanium")).containsExactly("a");
        assertThat(keywordDocs(s, "copper")).isEmpty();
        assertThat(keywordDocs(s, "gasket")).isEmpty();
        assertThat(keywordDocs(s, "specification")).containsExactly("a");

        s = reopen(s);
        assertThat(keywordDocs(s, "zirconium")).isEmpty();
        assertThat(keywordDocs(s, "copper")).isEmpty();
        assertThat(keywordDocs(s, "titanium")).containsExactly("a");
    }

    @Test
    void should_replay_writes_and_deletes_made_after_the_last_checkpoint_when_the_process_dies() {
        DurableVectorStore s = open();
        s.upsert(doc("a", "alpha manual"));
        s.upsert(doc("b", "bravo manual"));
        s.snapshot(); // checkpoint: a and b
        s.upsert(doc("c", "charlie manual"));
        s.delete("a");
        s.upsert(doc("b", "bravo handbook"));

        Path image = dir.resolveSibling(dir.getFileName() + "-crash");
        StoreFixtures.crashImage(dir, image); // no close, no final snapshot: what a kill -9 leaves
        DurableVectorStore recovered = open(image, StoreFixtures.config(image, "Flat"));

        assertThat(recovered.keywordChunkCount()).isEqualTo(recovered.chunkCount()).isEqualTo(2);
        assertThat(keywordDocs(recovered, "manual")).containsExactly("c");
        assertThat(keywordDocs(recovered, "handbook")).containsExactly("b");
        assertThat(keywordDocs(recovered, "alpha")).isEmpty();
        assertThat(keywordDocs(recovered, "bravo")).containsExactly("b");
    }

    @Test
    void should_rebuild_a_missing_or_corrupt_keyword_index_from_sqlite() throws IOException {
        DurableVectorStore s = open();
        s.upsert(doc("a", "delta procedure"));
        s.upsert(doc("b", "echo procedure"));
        s.close();
        opened.remove(s);
        try (Stream<Path> files = Files.walk(dir.resolve("keyword-g0"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.write(f, new byte[] {1, 2, 3}); // every file garbage
            }
        }

        s = open();
        assertThat(keywordDocs(s, "procedure")).containsExactlyInAnyOrder("a", "b");

        s.close();
        opened.remove(s);
        try (Stream<Path> files = Files.walk(dir.resolve("keyword-g0"))) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        s = open();
        assertThat(keywordDocs(s, "echo")).containsExactly("b");
    }

    @Test
    void should_keep_keyword_hits_right_after_compaction_renumbers_positions() {
        DurableVectorStore s = open(dir, StoreFixtures.config(dir, "Flat").compactionDeadRatio(0.9).compactionMinDead(1000));
        for (int i = 0; i < 30; i++) {
            s.upsert(doc("d" + i, "unit" + i + " maintenance log"));
        }
        for (int i = 0; i < 20; i++) {
            s.delete("d" + i);
        }
        s.compact();

        assertThat(s.generation()).isEqualTo(1);
        assertThat(s.positionCount()).isEqualTo(10);
        assertThat(s.keywordChunkCount()).isEqualTo(10);
        assertThat(keywordDocs(s, "unit25")).containsExactly("d25");
        assertThat(keywordDocs(s, "unit5")).isEmpty();
        assertThat(keywordDocs(s, "maintenance", 100, SearchFilter.NONE)).hasSize(10);
        assertThat(Files.exists(dir.resolve("keyword-g0"))).isFalse();

        s = reopen(s);
        assertThat(keywordDocs(s, "unit25")).containsExactly("d25");
        assertThat(keywordDocs(s, "maintenance", 100, SearchFilter.NONE)).hasSize(10);
    }

    @Test
    void should_keep_a_callers_collection_scope_in_both_indexes_with_no_collection_meaning_default() {
        DurableVectorStore s = open();
        s.upsert(doc("alpha", "kiwi eggs", "alpha", Map.of()));
        s.upsert(doc("beta", "kiwi eggs", "beta", Map.of()));
        s.upsert(doc("plain", "kiwi eggs", null, Map.of()));
        SearchFilter alphaOnly = new SearchFilter(null, null, Map.of(), null, Set.of("alpha"));
        SearchFilter alphaAndDefault = new SearchFilter(null, null, Map.of(), null, Set.of("alpha", "default"));
        SearchFilter defaultOnly = new SearchFilter(null, null, Map.of(), null, Set.of("default"));

        assertThat(keywordDocs(s, "kiwi", 10, alphaOnly)).containsExactly("alpha");
        assertThat(keywordDocs(s, "kiwi", 10, alphaAndDefault)).containsExactlyInAnyOrder("alpha", "plain");
        assertThat(keywordDocs(s, "kiwi", 10, defaultOnly)).containsExactly("plain");
        for (SearchFilter scope : List.of(alphaOnly, alphaAndDefault, defaultOnly)) {
            List<String> byVector = s.search(TestVectors.seeded("x", DIM), "kiwi",
                    new SearchRequest(10, -1.0, scope), RankedHits.Wanted.VECTOR)
                    .byVector().stream().map(ChunkHit::docId).toList();
            assertThat(byVector).as("the vector side agrees for %s", scope.collectionsIn())
                    .containsExactlyInAnyOrderElementsOf(keywordDocs(s, "kiwi", 10, scope));
        }
    }

    @Test
    void should_apply_filters_inside_the_keyword_search_before_the_top_k_cut() {
        DurableVectorStore s = open();
        for (int i = 0; i < 30; i++) {
            s.upsert(doc("a" + i, "turbine turbine turbine blade wear " + i, "plant-a", Map.of("site", "north", "date", "2024-0" + (1 + i % 9) + "-15")));
        }
        s.upsert(doc("b0", "turbine blade", "plant-b", Map.of("site", "south", "date", "2023-06-01T08:00:00Z")));

        assertThat(keywordDocs(s, "turbine", 1, SearchFilter.NONE)).doesNotContain("b0");
        assertThat(keywordDocs(s, "turbine", 1, SearchFilter.of("plant-b", Map.of()))).containsExactly("b0");
        assertThat(keywordDocs(s, "turbine", 1, SearchFilter.of(null, Map.of("site", "south")))).containsExactly("b0");
        assertThat(keywordDocs(s, "turbine", 1, new SearchFilter(null, "file:///docs/b0.md", Map.of(), null)))
                .containsExactly("b0");
        SearchFilter.DateRange year2023 = new SearchFilter.DateRange("date", Instant.parse("2023-01-01T00:00:00Z"),
                Instant.parse("2023-12-31T23:59:59Z"));
        assertThat(keywordDocs(s, "turbine", 1, new SearchFilter(null, null, Map.of(), year2023))).containsExactly("b0");
        SearchFilter.DateRange march = new SearchFilter.DateRange("date", Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-03-31T00:00:00Z"));
        assertThat(keywordDocs(s, "turbine", 100, new SearchFilter(null, null, Map.of(), march)))
                .containsExactlyInAnyOrder("a2", "a11", "a20", "a29");
        // the vector side reads the same filter from the position table
        List<String> byVector = s.search(TestVectors.seeded("x", DIM), "turbine",
                new SearchRequest(1, -1.0, new SearchFilter(null, null, Map.of(), year2023)), RankedHits.Wanted.VECTOR)
                .byVector().stream().map(ChunkHit::docId).toList();
        assertThat(byVector).containsExactly("b0");
    }

    /**
     * Random updates, deletes, restarts, crashes and compactions; after each step every live document is
     * found by its own term in both indexes, and no deleted one is found by either.
     */
    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 42L})
    void should_keep_keyword_and_vector_views_identical_through_random_histories(long seed) {
        Random random = new Random(seed);
        Path current = dir.resolve("run");
        DurableVectorStore s = open(current, StoreFixtures.config(current, "Flat").compactionMinDead(1_000_000));
        Map<String, Integer> live = new HashMap<>(); // docId -> revision
        int crashes = 0;
        for (int step = 0; step < 120; step++) {
            int action = random.nextInt(20);
            String id = "doc" + random.nextInt(15);
            if (action < 12) {
                int revision = live.getOrDefault(id, 0) + 1;
                s.upsert(doc(id, termOf(id, revision) + " shared body text"));
                live.put(id, revision);
            } else if (action < 16) {
                s.delete(id);
                live.remove(id);
            } else if (action == 16) {
                s.snapshot();
            } else if (action == 17) {
                s = reopen(s);
            } else if (action == 18) {
                s.compact();
            } else {
                Path image = dir.resolve("crash" + (++crashes));
                StoreFixtures.crashImage(current, image);
                s.close();
                opened.remove(s);
                current = image;
                s = open(current, StoreFixtures.config(current, "Flat").compactionMinDead(1_000_000));
            }
            assertSameViews(s, live, random.nextInt(15));
        }
        assertThat(keywordDocs(s, "shared", 100, SearchFilter.NONE)).containsExactlyInAnyOrderElementsOf(live.keySet());
    }

    private static String termOf(String id, int revision) {
        return "term" + id + "r" + revision;
    }

    private static void assertSameViews(DurableVectorStore s, Map<String, Integer> live, int probe) {
        String id = "doc" + probe;
        Integer revision = live.get(id);
        for (int r = 1; r <= (revision == null ? 3 : revision); r++) {
            List<String> found = keywordDocs(s, termOf(id, r));
            if (revision != null && r == revision) {
                assertThat(found).as("live %s r%d", id, r).containsExactly(id);
            } else {
                assertThat(found).as("stale %s r%d", id, r).isEmpty();
            }
        }
        long vectorLive = s.search(TestVectors.seeded("any", DIM), SearchRequest.topK(100)).size();
        assertThat(vectorLive).isEqualTo(live.size());
        assertThat(s.keywordChunkCount()).isEqualTo(s.chunkCount()).isEqualTo(live.size());
        assertThat(keywordDocs(s, "shared", 100, SearchFilter.NONE)).hasSize(live.size());
    }
}
