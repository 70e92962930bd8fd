package io.edgerag.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments and checks, after each kill, that every
 * acknowledged write is there and nothing acknowledged as deleted came back. The one write in
 * flight at the kill may or may not have happened, but entirely or not at all.
 */
class CrashSafetyTest {

    private static final int TRIALS = 20;

    @TempDir
    Path dir;

    static StoreConfig config(Path dir, String factory) {
        return StoreFixtures.config(dir, factory).snapshotInterval(CrashWorkload.snapshotEvery())
                .compactionMinDead(5).compactionDeadRatio(0.2).build();
    }

    static int chunksOf(int gen) {
        return 1 + Math.floorMod(gen, 3);
    }

    @Test
    void should_keep_every_acknowledged_write_and_delete_across_sigkill() throws Exception {
        String factory = "Flat";
        Map<String, Integer> model = new HashMap<>(); // docId -> generation; absent = not live
        Random random = new Random(42);
        long started = System.nanoTime();
        int acknowledged = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            List<String> lines = runAndKill(trial, factory, 30 + random.nextInt(700));
            String inflight = null;
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("B")) {
                    inflight = line.substring(2);
                } else if (f[0].equals("A")) {
                    acknowledged++;
                    inflight = null;
                    if (f[1].equals("U")) {
                        model.put(f[2], Integer.parseInt(f[3]));
                    } else {
                        model.remove(f[2]);
                    }
                }
            }
            try (DurableVectorStore store = DurableVectorStore.open(config(dir, factory), TestIndexes.factory())) {
                verify(store, model, inflight, trial);
            }
        }
        assertThat(acknowledged).as("the children acknowledged writes").isGreaterThan(TRIALS);
        System.out.printf("crash safety: %d trials, %d acknowledged writes, %d s%n", TRIALS, acknowledged,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private void verify(DurableVectorStore store, Map<String, Integer> model, String inflight, int trial) {
        String inflightDoc = inflight == null ? null : inflight.split(" ")[1];
        long expectedChunks = 0;
        for (int i = 0; i < CrashWorkload.DOCS; i++) {
            String docId = "d" + i;
            Integer actual = store.get(docId).map(d -> Integer.parseInt(d.contentHash().substring(d.contentHash().lastIndexOf('-') + 1))).orElse(null);
            Integer expected = model.get(docId);
            if (docId.equals(inflightDoc) && !java.util.Objects.equals(actual, expected)) {
                String[] f = inflight.split(" ");
                Integer inflightResult = f[0].equals("U") ? Integer.valueOf(f[2]) : null;
                assertThat(actual).as("trial %d: %s is the acknowledged state or the in-flight write %s", trial, docId, inflight)
                        .isEqualTo(inflightResult);
                if (actual == null) {
                    model.remove(docId);
                } else {
                    model.put(docId, actual);
                }
            } else {
                assertThat(actual).as("trial %d: %s after restart", trial, docId).isEqualTo(expected);
            }
            if (actual != null) {
                expectedChunks += chunksOf(actual);
            }
        }
        assertThat(store.chunkCount()).as("trial %d: live chunks", trial).isEqualTo(expectedChunks);
        List<ChunkHit> hits = store.search(TestVectors.random(trial, StoreFixtures.DIM), SearchRequest.topK(SearchRequest.MAX_K));
        assertThat(hits).as("trial %d: search sees every live chunk", trial).hasSize((int) expectedChunks);
        for (ChunkHit hit : hits) {
            assertThat(model).as("trial %d: %s must be live", trial, hit.docId()).containsKey(hit.docId());
            assertThat(StoreFixtures.generationOf(hit.text())).as("trial %d: generation of %s", trial, hit.chunkId())
                    .isEqualTo(model.get(hit.docId()));
        }
    }

    private List<String> runAndKill(int trial, String factory, int killAfterMs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path journal = dir.resolveSibling(dir.getFileName() + "-journal-" + trial + ".log");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dedgerag.test.index=" + System.getProperty("edgerag.test.index", "faiss"), "-cp",
                System.getProperty("java.class.path"), CrashWorkload.class.getName(), dir.toString(),
                String.valueOf(trial + 1), factory, journal.toString());
        pb.redirectError(dir.resolveSibling(dir.getFileName() + "-child-" + trial + ".err").toFile());
        pb.redirectOutput(dir.resolveSibling(dir.getFileName() + "-child-" + trial + ".out").toFile());
        Process child = pb.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (opLines(journal).isEmpty() && child.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("child %d started (see %s-child-%d.err)", trial, dir.getFileName(), trial).isTrue();
        Thread.sleep(killAfterMs);
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child %d died", trial).isTrue();
        return opLines(journal);
    }

    /** The journal's operation lines; each was appended by one write(2), so none is partial. */
    private static List<String> opLines(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return List.of();
        }
        List<String> ops = new ArrayList<>();
        for (String l : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (l.matches("[AB] (U d\\d+ \\d+|D d\\d+)")) {
                ops.add(l);
            }
        }
        return ops;
    }
}
