package io.edgerag.store.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code erasure-purge-within}: a deleted document's chunks leave the disk and the indexes through a
 * compaction that the bound alone triggers (the dead-ratio trigger is out of reach here: one dead chunk
 * among many live ones, min-dead 1000), and the bound's clock survives a restart.
 */
class ErasurePurgeBoundTest {

    @TempDir
    Path dir;

    private DurableVectorStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private DurableVectorStore open(Duration bound) {
        store = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").erasurePurgeWithin(bound).build(), TestIndexes.factory());
        return store;
    }

    @Test
    void should_purge_a_deleted_documents_chunks_within_the_bound() {
        DurableVectorStore s = open(Duration.ofSeconds(4));
        for (int i = 0; i < 20; i++) {
            s.upsert(StoreFixtures.doc("keep-" + i, 1, 2));
        }
        s.upsert(StoreFixtures.doc("forget", 1, 3));
        assertThat(s.oldestUnpurgedDeath()).isEmpty();
        long generation = s.generation();

        Instant before = Instant.now().minusMillis(1);
        assertThat(s.delete("forget")).isTrue();

        assertThat(s.holdsChunksOf("forget")).as("dead rows stay until compaction").isTrue();
        assertThat(s.oldestUnpurgedDeath()).hasValueSatisfying(at -> assertThat(at).isAfter(before));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(s.holdsChunksOf("forget")).isFalse());
        assertThat(s.generation()).isGreaterThan(generation);
        assertThat(s.oldestUnpurgedDeath()).isEmpty();
        assertThat(s.holdsChunksOf("keep-3")).isTrue();
        assertThat(s.chunkCount()).isEqualTo(40);
    }

    @Test
    void should_keep_dead_chunks_without_a_bound_and_remember_their_age_across_a_restart() {
        DurableVectorStore s = open(Duration.ZERO);
        s.upsert(StoreFixtures.doc("a", 1, 2));
        s.upsert(StoreFixtures.doc("b", 1, 2));
        s.delete("a");
        Instant died = s.oldestUnpurgedDeath().orElseThrow();
        s.close();

        DurableVectorStore r = open(Duration.ZERO);
        assertThat(r.oldestUnpurgedDeath()).contains(died);
        assertThat(r.holdsChunksOf("a")).isTrue();
        r.compact();
        assertThat(r.holdsChunksOf("a")).isFalse();
        assertThat(r.oldestUnpurgedDeath()).isEmpty();
    }
}
