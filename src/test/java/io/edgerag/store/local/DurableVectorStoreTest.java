package io.edgerag.store.local;

import static io.edgerag.store.local.StoreFixtures.DIM;
import static io.edgerag.store.local.StoreFixtures.doc;
import static io.edgerag.store.local.StoreFixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurableVectorStoreTest {

    @TempDir
    Path dir;

    private final List<DurableVectorStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(DurableVectorStore::close);
    }

    private DurableVectorStore open(StoreConfig.Builder config) {
        DurableVectorStore s = DurableVectorStore.open(config.build(), TestIndexes.factory());
        opened.add(s);
        return s;
    }

    private DurableVectorStore open(String factory) {
        return open(StoreFixtures.config(dir, factory));
    }

    private DurableVectorStore reopen(DurableVectorStore s) {
        s.close();
        opened.remove(s);
        return open(s.config().toBuilder());
    }

    private static List<String> texts(List<ChunkHit> hits) {
        return hits.stream().map(ChunkHit::text).toList();
    }

    private static List<ChunkHit> nearest(DurableVectorStore s, String docId, int gen, int chunk, int k) {
        return s.search(vector(docId, gen, chunk), SearchRequest.topK(k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW32", "IVF4,PQ8x4"})
    void should_return_passage_and_document_immediately_after_upsert(String factory) {
        DurableVectorStore s = open(factory);

        StoredDocument stored = s.upsert(doc("a", 1, 3, "news", Map.of("lang", "en")));

        assertThat(stored.chunks()).isEqualTo(3);
        assertThat(s.get("a")).contains(stored);
        List<ChunkHit> hits = nearest(s, "a", 1, 1, 1);
        assertThat(hits).hasSize(1);
        ChunkHit hit = hits.get(0);
        assertThat(hit.chunkId()).isEqualTo("a#1");
        assertThat(hit.text()).isEqualTo("a g1 #1");
        assertThat(hit.score()).isCloseTo(1.0, within(1e-5));
        assertThat(hit.title()).isEqualTo("Title a");
        assertThat(hit.source()).isEqualTo("test://a");
        assertThat(hit.collection()).isEqualTo("news");
        assertThat(hit.metadata()).containsEntry("lang", "en");
        assertThat(s.chunkCount()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW32", "IVF4,PQ8x4"})
    void should_replace_all_chunks_when_document_is_updated(String factory) {
        DurableVectorStore s = open(factory);
        s.upsert(doc("a", 1, 3));
        StoredDocument first = s.get("a").orElseThrow();

        StoredDocument second = s.upsert(doc("a", 2, 2));

        assertThat(second.version()).isGreaterThan(first.version());
        assertThat(s.chunkCount()).isEqualTo(2);
        assertThat(texts(s.search(vector("a", 1, 0), SearchRequest.topK(10))))
                .containsExactlyInAnyOrder("a g2 #0", "a g2 #1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW32", "IVF4,PQ8x4"})
    void should_never_return_deleted_document_at_once_after_restart_or_after_compaction(String factory) {
        DurableVectorStore s = open(factory);
        for (int i = 0; i < 100; i++) {
            s.upsert(doc("d" + i, 1, 2));
        }

        assertThat(s.delete("d7")).isTrue();
        assertThat(s.delete("d7")).isFalse();
        assertThat(s.get("d7")).isEmpty();
        assertThat(nearest(s, "d7", 1, 0, 50)).noneMatch(h -> h.docId().equals("d7"));

        s = reopen(s);
        assertThat(s.get("d7")).isEmpty();
        assertThat(nearest(s, "d7", 1, 0, 50)).noneMatch(h -> h.docId().equals("d7"));

        s.compact();
        assertThat(s.positionCount()).isEqualTo(198);
        assertThat(nearest(s, "d7", 1, 0, 50)).noneMatch(h -> h.docId().equals("d7"));
        assertThat(nearest(s, "d8", 1, 1, 1)).extracting(ChunkHit::chunkId).containsExactly("d8#1");

        s = reopen(s);
        assertThat(s.chunkCount()).isEqualTo(198);
        assertThat(nearest(s, "d7", 1, 0, 50)).noneMatch(h -> h.docId().equals("d7"));
        assertThat(nearest(s, "d99", 1, 1, 1)).extracting(ChunkHit::chunkId).containsExactly("d99#1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW32", "IVF4,PQ8x4"})
    void should_recover_from_snapshot_plus_replay_of_later_writes(String factory) {
        DurableVectorStore s = open(factory);
        for (int i = 0; i < 80; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }
        s.snapshot();
        s.upsert(doc("late", 1, 2));
        s.delete("d3");
        s.upsert(doc("d4", 2, 1));
        Path crashed = dir.resolve("crashed");
        StoreFixtures.crashImage(dir, crashed); // no snapshot covers the last three writes

        DurableVectorStore r = open(StoreFixtures.config(crashed, factory));

        assertThat(r.chunkCount()).isEqualTo(81);
        assertThat(r.positionCount()).isEqualTo(s.positionCount());
        assertThat(nearest(r, "late", 1, 1, 1)).extracting(ChunkHit::text).containsExactly("late g1 #1");
        assertThat(nearest(r, "d3", 1, 0, 100)).noneMatch(h -> h.docId().equals("d3"));
        assertThat(texts(nearest(r, "d4", 1, 0, 100))).contains("d4 g2 #0").doesNotContain("d4 g1 #0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW32", "IVF4,PQ8x4"})
    void should_rebuild_from_sqlite_when_there_is_no_snapshot(String factory) throws Exception {
        DurableVectorStore s = open(factory);
        for (int i = 0; i < 80; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }
        s.delete("d5");
        s.close();
        opened.remove(s);
        assertThat(dir.resolve(DurableVectorStore.SNAPSHOT_FILE)).exists();
        Files.deleteIfExists(dir.resolve(DurableVectorStore.SNAPSHOT_FILE));

        DurableVectorStore r = open(factory);

        assertThat(r.chunkCount()).isEqualTo(79);
        assertThat(nearest(r, "d50", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d50#0");
        assertThat(nearest(r, "d5", 1, 0, 100)).noneMatch(h -> h.docId().equals("d5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW32", "IVF4,PQ8x4"})
    void should_rebuild_from_sqlite_when_snapshot_is_corrupt(String factory) throws Exception {
        DurableVectorStore s = open(factory);
        for (int i = 0; i < 80; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }
        s.close();
        opened.remove(s);
        Path snapshot = dir.resolve(DurableVectorStore.SNAPSHOT_FILE);
        byte[] bytes = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(bytes, bytes.length / 3)); // torn file

        DurableVectorStore r = open(factory);

        assertThat(r.chunkCount()).isEqualTo(80);
        assertThat(nearest(r, "d42", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d42#0");
        r.upsert(doc("new", 1, 1));
        assertThat(nearest(r, "new", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("new#0");
    }

    @Test
    void should_filter_by_collection_before_the_top_k_cut() {
        DurableVectorStore s = open("Flat");
        float[] query = vector("q", 0, 0);
        for (int i = 0; i < 30; i++) {
            s.upsert(new DocumentWrite("near" + i, "t", "s", "big", Map.of(), "h", "m", 1,
                    List.of(new DocumentWrite.ChunkWrite("near" + i + "#0", "near", TestVectors.near(query, i, 0.05)))));
        }
        s.upsert(new DocumentWrite("far", "t", "s", "small", Map.of(), "h", "m", 1,
                List.of(new DocumentWrite.ChunkWrite("far#0", "far", TestVectors.random(77, DIM)))));

        List<ChunkHit> hits = s.search(query, new SearchRequest(3, -1, "small", Map.of()));

        assertThat(hits).extracting(ChunkHit::docId).containsExactly("far");
        assertThat(s.search(query, new SearchRequest(3, -1, "big", Map.of()))).hasSize(3)
                .allMatch(h -> h.collection().equals("big"));
    }

    @Test
    void should_filter_by_metadata_before_the_top_k_cut() {
        DurableVectorStore s = open(StoreFixtures.config(dir, "Flat").exactSearchThreshold(0));
        for (int i = 0; i < 40; i++) {
            s.upsert(doc("d" + i, 1, 1, "c", Map.of("lang", i == 33 ? "fr" : "en", "year", "" + (2000 + i % 2))));
        }

        List<ChunkHit> hits = s.search(vector("d1", 1, 0), new SearchRequest(1, -1, null, Map.of("lang", "fr")));
        List<ChunkHit> both = s.search(vector("d1", 1, 0), new SearchRequest(50, -1, "c", Map.of("lang", "en", "year", "2001")));

        assertThat(hits).extracting(ChunkHit::docId).containsExactly("d33");
        assertThat(both).hasSize(19).allMatch(h -> h.metadata().get("year").equals("2001") && !h.docId().equals("d33"));
        assertThat(s.search(vector("d1", 1, 0), new SearchRequest(5, -1, "other", Map.of()))).isEmpty();
    }

    @Test
    void should_apply_min_score_and_report_cosine() {
        DurableVectorStore s = open("Flat");
        float[] base = vector("q", 0, 0);
        float[] opposite = base.clone();
        for (int i = 0; i < DIM; i++) {
            opposite[i] = -opposite[i];
        }
        s.upsert(new DocumentWrite("same", "t", "s", null, Map.of(), "h", "m", 1, List.of(new DocumentWrite.ChunkWrite("same#0", "x", scale(base, 3f)))));
        s.upsert(new DocumentWrite("opp", "t", "s", null, Map.of(), "h", "m", 1, List.of(new DocumentWrite.ChunkWrite("opp#0", "y", opposite))));

        List<ChunkHit> all = s.search(base, SearchRequest.topK(10));
        List<ChunkHit> positive = s.search(base, new SearchRequest(10, 0.5, null, Map.of()));

        assertThat(all).extracting(ChunkHit::docId).containsExactly("same", "opp");
        assertThat(all.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(all.get(1).score()).isCloseTo(-1.0, within(1e-6));
        assertThat(positive).extracting(ChunkHit::docId).containsExactly("same");
    }

    @Test
    void should_reject_bad_input_and_leave_store_unchanged() {
        DurableVectorStore s = open("Flat");
        s.upsert(doc("a", 1, 2));
        StoredDocument before = s.get("a").orElseThrow();
        float[] nan = vector("x", 0, 0);
        nan[5] = Float.NaN;
        float[] inf = vector("x", 0, 0);
        inf[1] = Float.POSITIVE_INFINITY;

        List<DocumentWrite> bad = List.of(
                withChunk("a", "a#0", "text", new float[DIM + 1]),
                withChunk("a", "a#0", "text", nan),
                withChunk("a", "a#0", "text", inf),
                withChunk("a", "a#0", "text", new float[DIM]),
                withChunk("a", "a#0", " ", vector("a", 9, 0)),
                withChunk("a", "", "text", vector("a", 9, 0)),
                withChunk("", "x#0", "text", vector("a", 9, 0)),
                new DocumentWrite("a", "t", "s", "c", Map.of(), "h", "m", 1, List.of(
                        new DocumentWrite.ChunkWrite("a#0", "one", vector("a", 9, 0)),
                        new DocumentWrite.ChunkWrite("a#0", "dup", vector("a", 9, 1)))));
        for (DocumentWrite w : bad) {
            assertThatThrownBy(() -> s.upsert(w)).isInstanceOf(InvalidStoreRequestException.class).hasMessageContaining("");
        }
        assertThatThrownBy(() -> s.upsert(null)).isInstanceOf(InvalidStoreRequestException.class);
        assertThatThrownBy(() -> s.delete(" ")).isInstanceOf(InvalidStoreRequestException.class);
        assertThatThrownBy(() -> s.get("")).isInstanceOf(InvalidStoreRequestException.class);
        assertThatThrownBy(() -> s.search(vector("a", 1, 0), SearchRequest.topK(0))).isInstanceOf(InvalidStoreRequestException.class);
        assertThatThrownBy(() -> s.search(vector("a", 1, 0), SearchRequest.topK(SearchRequest.MAX_K + 1)))
                .isInstanceOf(InvalidStoreRequestException.class).hasMessageContaining("k must be between 1 and 1000");
        assertThatThrownBy(() -> s.search(new float[3], SearchRequest.topK(1)))
                .isInstanceOf(InvalidStoreRequestException.class).hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> s.search(nan, SearchRequest.topK(1))).isInstanceOf(InvalidStoreRequestException.class);

        assertThat(s.get("a")).contains(before);
        assertThat(s.chunkCount()).isEqualTo(2);
        assertThat(s.positionCount()).isEqualTo(2);
        assertThat(texts(nearest(s, "a", 1, 0, 10))).containsExactlyInAnyOrder("a g1 #0", "a g1 #1");
        assertThat(s.delete("unknown")).isFalse();
        assertThat(s.get("unknown")).isEmpty();
    }

    @Test
    void should_compact_in_background_when_dead_ratio_is_exceeded() {
        DurableVectorStore s = open(StoreFixtures.config(dir, "Flat").compactionDeadRatio(0.5).compactionMinDead(10));
        for (int i = 0; i < 20; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }
        for (int i = 0; i < 15; i++) {
            s.delete("d" + i);
        }

        await(() -> s.generation() > 0 && s.positionCount() < 20);

        assertThat(s.chunkCount()).isEqualTo(5);
        assertThat(texts(s.search(vector("d1", 1, 0), SearchRequest.topK(20))))
                .containsExactlyInAnyOrder("d15 g1 #0", "d16 g1 #0", "d17 g1 #0", "d18 g1 #0", "d19 g1 #0");
    }

    @Test
    void should_switch_auto_index_from_flat_to_hnsw_when_live_count_crosses_threshold() {
        DurableVectorStore s = open(StoreConfig.builder(dir, DIM).hnswThreshold(50).snapshotInterval(java.time.Duration.ZERO));
        assertThat(s.indexFactoryString()).isEqualTo("Flat");
        for (int i = 0; i < 60; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }

        await(() -> s.indexFactoryString().equals("HNSW32"));

        assertThat(nearest(s, "d42", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d42#0");
        DurableVectorStore r = reopen(s);
        assertThat(r.indexFactoryString()).isEqualTo("HNSW32");
        assertThat(nearest(r, "d43", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d43#0");
    }

    @Test
    void should_search_exactly_until_ivfpq_is_trained_then_use_the_trained_index() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestIndexes.needsTraining("IVF4,PQ8x4"), "index type without training");
        DurableVectorStore s = open(StoreFixtures.config(dir, "IVF4,PQ8x4").trainMinVectors(100));
        for (int i = 0; i < 60; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }
        assertThat(s.isIndexTrained()).isFalse();
        assertThat(nearest(s, "d10", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d10#0");

        for (int i = 60; i < 120; i++) {
            s.upsert(doc("d" + i, 1, 1));
        }

        assertThat(s.isIndexTrained()).isTrue();
        assertThat(nearest(s, "d10", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d10#0");
        assertThat(nearest(s, "d110", 1, 0, 1)).extracting(ChunkHit::chunkId).containsExactly("d110#0");
    }

    @Test
    void should_keep_versions_increasing_across_restart() {
        DurableVectorStore s = open("Flat");
        long v1 = s.upsert(doc("a", 1, 1)).version().hlc();
        s = reopen(s);

        long v2 = s.upsert(doc("b", 1, 1)).version().hlc();

        assertThat(v2).isGreaterThan(v1);
    }

    @Test
    void should_refuse_to_open_a_store_with_another_dimension() {
        open("Flat").close();

        assertThatThrownBy(() -> DurableVectorStore.open(StoreConfig.builder(dir, DIM + 1).build(), TestIndexes.factory()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dimension");
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static DocumentWrite withChunk(String docId, String chunkId, String text, float[] vector) {
        return new DocumentWrite(docId, "t", "s", "c", Map.of(), "h", "m", 1, List.of(new DocumentWrite.ChunkWrite(chunkId, text, vector)));
    }

    private static float[] scale(float[] v, float f) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }
}
