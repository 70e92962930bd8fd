package io.edgerag.store.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * Child-process workload for {@link CrashSafetyTest}: upserts and deletes in a loop and prints
 * {@code B <op>} before and {@code A <op>} after each acknowledged write, flushing each line, until
 * the parent kills it with SIGKILL.
 */
public final class CrashWorkload {

    static final int DOCS = 30;

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        String factory = args[2];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        DurableVectorStore store = DurableVectorStore.open(CrashSafetyTest.config(dir, factory), TestIndexes.factory());
        out.println("READY");
        out.flush();
        Random random = new Random(seed);
        int counter = 0;
        while (true) {
            String docId = "d" + random.nextInt(DOCS);
            if (random.nextInt(10) < 7) {
                int gen = (int) (seed % 100_000) * 10_000 + counter++;
                out.println("B U " + docId + " " + gen);
                out.flush();
                store.upsert(StoreFixtures.doc(docId, gen, CrashSafetyTest.chunksOf(gen)));
                out.println("A U " + docId + " " + gen);
            } else {
                out.println("B D " + docId);
                out.flush();
                store.delete(docId);
                out.println("A D " + docId);
            }
            out.flush();
            if (random.nextInt(50) == 0) {
                store.compact();
            }
        }
    }

    private CrashWorkload() {
    }

    static Duration snapshotEvery() {
        return Duration.ofMillis(150);
    }
}
