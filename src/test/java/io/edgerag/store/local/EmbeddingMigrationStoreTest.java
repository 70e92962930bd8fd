package io.edgerag.store.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's half of a blue-green embedding migration on real FAISS: shadow vectors made beside the
 * active ones, dual writes, the atomic swap (and back), and what survives a reopen and a compaction. The
 * "new model" here embeds a text as a vector seeded from {@code "new:" + text}, unrelated to the old one.
 */
class EmbeddingMigrationStoreTest {

    static final String OLD = "test-model";
    static final String NEW = "new-model";

    @TempDir
    Path dir;

    DurableVectorStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    DurableVectorStore open() {
        store = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory());
        return store;
    }

    static float[] newVector(String text) {
        return TestVectors.seeded("new:" + text, StoreFixtures.DIM);
    }

    /** Embeds the backlog with the "new model" the way the migration service does, until nothing is missing. */
    static void build(DurableVectorStore store) {
        while (true) {
            ShadowBacklog backlog = store.shadowBacklog(3);
            if (backlog.passages().isEmpty()) {
                return;
            }
            Map<Long, float[]> vectors = new HashMap<>();
            for (PendingPassage p : backlog.passages()) {
                vectors.put(p.position(), backlog.shadowModel().equals(NEW) ? newVector(p.text())
                        : StoreFixtures.vector(p.text().split(" ")[0], StoreFixtures.generationOf(p.text()),
                        Integer.parseInt(p.text().substring(p.text().indexOf('#') + 1))));
            }
            assertThat(store.putShadowVectors(backlog, vectors)).isEqualTo(vectors.size());
        }
    }

    static String topChunk(DurableVectorStore store, float[] query, String model) {
        List<ChunkHit> hits = store.search(query, null, SearchRequest.topK(1).madeWith(model), RankedHits.Wanted.VECTOR).byVector();
        assertThat(hits).hasSize(1);
        return hits.get(0).chunkId() + "@" + Math.round(hits.get(0).score() * 1000) / 1000.0;
    }

    /** {@code doc} embedded with both models: the old in the chunks, the new as shadow vectors. */
    static DocumentWrite dualWrite(String docId, int generation, int chunks) {
        DocumentWrite base = StoreFixtures.doc(docId, generation, chunks);
        List<float[]> shadow = new ArrayList<>();
        for (DocumentWrite.ChunkWrite c : base.chunks()) {
            shadow.add(newVector(c.text()));
        }
        return new DocumentWrite(base.docId(), base.title(), base.source(), base.collection(), base.metadata(),
                base.contentHash(), base.embeddingModel(), base.schemaVersion(), base.chunks(),
                new StoreRecords.ShadowVectors(NEW, shadow));
    }

    @Test
    void should_serve_the_old_model_while_building_swap_atomically_and_roll_back() {
        open();
        assertThat(store.declareEmbeddingModel(OLD)).isEqualTo(OLD);
        store.upsert(StoreFixtures.doc("a", 1, 3));
        store.upsert(StoreFixtures.doc("b", 1, 2));

        EmbeddingMigrationState started = store.startMigration(NEW);
        assertThat(started.phase()).isEqualTo(EmbeddingMigrationPhase.BUILDING);
        assertThat(started.missing()).isEqualTo(5);
        assertThatThrownBy(() -> store.startMigration("third-model")).isInstanceOf(EmbeddingMigrationConflictException.class);

        store.upsert(dualWrite("c", 1, 2)); // a write during the build lands in both
        assertThat(store.migrationState().missing()).isEqualTo(5);
        assertThat(store.cutOver()).as("refused while chunks lack a new vector").isFalse();
        assertThat(topChunk(store, StoreFixtures.vector("a", 1, 1), OLD)).isEqualTo("a#1@1.0");

        build(store);
        assertThat(store.migrationState().missing()).isZero();
        assertThat(store.cutOver()).isTrue();

        assertThat(store.activeEmbeddingModel()).isEqualTo(NEW);
        assertThat(store.migrationState().phase()).isEqualTo(EmbeddingMigrationPhase.CUT_OVER);
        assertThat(store.migrationState().shadowModel()).isEqualTo(OLD);
        assertThat(store.get("a").orElseThrow().embeddingModel()).isEqualTo(NEW);
        assertThatThrownBy(() -> topChunk(store, StoreFixtures.vector("a", 1, 1), OLD))
                .isInstanceOf(EmbeddingModelChangedException.class);
        assertThat(topChunk(store, newVector(StoreFixtures.text("a", 1, 1)), NEW)).isEqualTo("a#1@1.0");
        assertThat(topChunk(store, newVector(StoreFixtures.text("c", 1, 0)), NEW)).isEqualTo("c#0@1.0");

        store.close();
        open(); // the index is rebuilt from the swapped vectors, not from the old snapshot
        assertThat(store.activeEmbeddingModel()).isEqualTo(NEW);
        assertThat(store.declareEmbeddingModel(OLD)).as("the store's model wins over configuration").isEqualTo(NEW);
        assertThat(topChunk(store, newVector(StoreFixtures.text("b", 1, 1)), NEW)).isEqualTo("b#1@1.0");

        DocumentWrite newOnly = new DocumentWrite("d", "Title d", "test://d", "default", Map.of(), "h", NEW, 1,
                List.of(new DocumentWrite.ChunkWrite("d#0", StoreFixtures.text("d", 1, 0), newVector(StoreFixtures.text("d", 1, 0)))));
        store.upsert(newOnly); // no old vector with it: the build makes one before a rollback may swap back
        assertThat(store.migrationState().missing()).isEqualTo(1);
        assertThat(store.rollbackMigration()).as("refused while a chunk lacks an old vector").isFalse();
        DocumentWrite oldOnly = new DocumentWrite("e", "Title e", "test://e", "default", Map.of(), "h", OLD, 1,
                StoreFixtures.doc("e", 1, 1).chunks());
        assertThatThrownBy(() -> store.upsert(oldOnly)).isInstanceOf(EmbeddingModelChangedException.class);
        assertThat(store.get("e")).isEmpty();

        build(store);
        assertThat(store.rollbackMigration()).isTrue();
        assertThat(store.activeEmbeddingModel()).isEqualTo(OLD);
        assertThat(store.migrationState().phase()).isEqualTo(EmbeddingMigrationPhase.NONE);
        assertThat(store.get("b").orElseThrow().embeddingModel()).isEqualTo(OLD);
        assertThat(topChunk(store, StoreFixtures.vector("b", 1, 0), OLD)).isEqualTo("b#0@1.0");
        assertThat(topChunk(store, StoreFixtures.vector("c", 1, 1), OLD)).isEqualTo("c#1@1.0");
        assertThat(topChunk(store, StoreFixtures.vector("d", 1, 0), OLD)).isEqualTo("d#0@1.0");
    }

    @Test
    void should_store_a_write_embedded_just_before_the_swap_the_right_way_round() {
        open();
        store.declareEmbeddingModel(OLD);
        store.upsert(StoreFixtures.doc("a", 1, 2));
        store.startMigration(NEW);
        build(store);
        DocumentWrite preparedBefore = dualWrite("late", 1, 2); // old in chunks, new as shadow
        assertThat(store.cutOver()).isTrue();

        store.upsert(preparedBefore);

        assertThat(store.get("late").orElseThrow().embeddingModel()).isEqualTo(NEW);
        assertThat(topChunk(store, newVector(StoreFixtures.text("late", 1, 1)), NEW)).isEqualTo("late#1@1.0");
        assertThat(store.migrationState().missing()).as("its old vectors were kept for a rollback").isZero();
    }

    @Test
    void should_keep_shadow_vectors_aligned_through_compaction_and_finalize_for_good() {
        open();
        store.declareEmbeddingModel(OLD);
        for (int i = 0; i < 6; i++) {
            store.upsert(StoreFixtures.doc("d" + i, 1, 2));
        }
        store.startMigration(NEW);
        ShadowBacklog readBeforeCompaction = store.shadowBacklog(100);
        build(store);
        store.delete("d0");
        store.delete("d1");
        store.compact(); // positions renumbered: shadow rows follow them

        Map<Long, float[]> stale = new HashMap<>();
        readBeforeCompaction.passages().forEach(p -> stale.put(p.position(), newVector("wrong")));
        assertThat(store.putShadowVectors(readBeforeCompaction, stale)).as("positions of another generation").isZero();

        assertThat(store.cutOver()).isTrue();
        assertThat(topChunk(store, newVector(StoreFixtures.text("d4", 1, 1)), NEW)).isEqualTo("d4#1@1.0");

        store.finalizeMigration();
        assertThat(store.migrationState().phase()).isEqualTo(EmbeddingMigrationPhase.NONE);
        assertThatThrownBy(store::rollbackMigration).isInstanceOf(EmbeddingMigrationConflictException.class);
        assertThat(store.activeEmbeddingModel()).isEqualTo(NEW);
    }

    @Test
    void should_drop_the_new_vectors_when_rolled_back_while_building_and_resume_a_build_after_reopen() {
        open();
        store.declareEmbeddingModel(OLD);
        store.upsert(StoreFixtures.doc("a", 1, 4));
        store.startMigration(NEW);
        ShadowBacklog first = store.shadowBacklog(2);
        store.putShadowVectors(first, Map.of(first.passages().get(0).position(), newVector(first.passages().get(0).text()),
                first.passages().get(1).position(), newVector(first.passages().get(1).text())));
        store.close();

        open();
        assertThat(store.migrationState().phase()).isEqualTo(EmbeddingMigrationPhase.BUILDING);
        assertThat(store.migrationState().missing()).as("resumes where it stopped").isEqualTo(2);

        assertThat(store.rollbackMigration()).isTrue();
        assertThat(store.migrationState().phase()).isEqualTo(EmbeddingMigrationPhase.NONE);
        assertThat(store.activeEmbeddingModel()).isEqualTo(OLD);
        assertThat(topChunk(store, StoreFixtures.vector("a", 1, 3), OLD)).isEqualTo("a#3@1.0");
        assertThat(store.startMigration(NEW).missing()).as("a new start begins from nothing").isEqualTo(4);
    }
}
