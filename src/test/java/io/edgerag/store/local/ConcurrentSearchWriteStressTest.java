package io.edgerag.store.local;

import static io.edgerag.store.local.StoreFixtures.doc;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches race with updates, deletes, compactions and snapshots. Every chunk of a document version
 * carries its generation; a search must never mix generations of one document, never return a
 * document whose delete was acknowledged before the search began, and never return a generation
 * older than one acknowledged before the search began.
 */
class ConcurrentSearchWriteStressTest {

    private static final int DOCS = 40;
    private static final int CHUNKS = 4;

    @TempDir
    Path dir;

    @Test
    void should_never_show_a_mixed_or_deleted_document_while_writes_and_compactions_run() throws Exception {
        StoreConfig config = StoreFixtures.config(dir, "Flat").compactionMinDead(50).compactionDeadRatio(0.3)
                .snapshotInterval(java.time.Duration.ofMillis(200)).build();
        try (DurableVectorStore store = DurableVectorStore.open(config, TestIndexes.factory())) {
            Map<String, Integer> acked = new ConcurrentHashMap<>();
            Set<String> deleted = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < DOCS; i++) {
                store.upsert(doc("d" + i, 0, CHUNKS));
                acked.put("d" + i, 0);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger searches = new AtomicInteger();
            AtomicInteger writes = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    Random r = new Random(writer);
                    Map<String, Integer> gens = new HashMap<>();
                    while (!stop.get()) {
                        String docId = "d" + (writer + 2 * r.nextInt(DOCS / 2)); // each writer owns half the docs
                        if (deleted.contains(docId)) {
                            continue;
                        }
                        if (r.nextInt(40) == 0 && Integer.parseInt(docId.substring(1)) % 10 == 9) {
                            store.delete(docId);
                            deleted.add(docId);
                            acked.remove(docId);
                        } else {
                            int gen = gens.merge(docId, 1, Integer::sum);
                            store.upsert(doc(docId, gen, CHUNKS));
                            acked.put(docId, gen);
                        }
                        writes.incrementAndGet();
                    }
                    return null;
                }));
            }
            tasks.add(pool.submit(() -> {
                while (!stop.get()) {
                    store.compact();
                    Thread.sleep(150);
                }
                return null;
            }));
            for (int s = 0; s < 3; s++) {
                int searcher = s;
                tasks.add(pool.submit(() -> {
                    Random r = new Random(100 + searcher);
                    while (!stop.get()) {
                        Set<String> deletedBefore = Set.copyOf(deleted);
                        Map<String, Integer> ackedBefore = Map.copyOf(acked);
                        List<ChunkHit> hits = store.search(TestVectors.random(r.nextLong(), StoreFixtures.DIM), SearchRequest.topK(100));
                        Map<String, Integer> seen = new HashMap<>();
                        for (ChunkHit hit : hits) {
                            int gen = StoreFixtures.generationOf(hit.text());
                            assertThat(deletedBefore).as("deleted before the search").doesNotContain(hit.docId());
                            Integer previous = seen.putIfAbsent(hit.docId(), gen);
                            assertThat(previous == null || previous == gen).as("one generation per document in %s", hit.docId()).isTrue();
                            Integer floor = ackedBefore.get(hit.docId());
                            if (floor != null) {
                                assertThat(gen).as("read-after-write for %s", hit.docId()).isGreaterThanOrEqualTo(floor);
                            }
                        }
                        searches.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(4_000);
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            for (Future<?> t : tasks) {
                t.get(); // rethrows the first assertion error of any worker
            }
            assertThat(searches.get()).isGreaterThan(50);
            assertThat(writes.get()).isGreaterThan(50);
            assertThat(store.generation()).as("compactions ran").isGreaterThan(0);
            long liveChunks = acked.size() * (long) CHUNKS;
            assertThat(store.chunkCount()).isEqualTo(liveChunks);
            System.out.printf("stress: %d searches, %d writes, %d compactions%n", searches.get(), writes.get(), store.generation());
        }
    }
}
