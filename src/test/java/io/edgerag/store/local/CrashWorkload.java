package io.edgerag.store.local;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * Child-process workload for {@link CrashSafetyTest}: upserts and deletes in a loop and journals
 * {@code B <op>} before and {@code A <op>} after each acknowledged write, until the parent kills it
 * with SIGKILL. The journal is a file of its own, each line one unbuffered append: stdout is shared
 * with whatever a library prints, which could split or prefix a line.
 */
public final class CrashWorkload {

    static final int DOCS = 30;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        String factory = args[2];
        Journal out = new Journal(new FileOutputStream(args[3], true));
        DurableVectorStore store = DurableVectorStore.open(CrashSafetyTest.config(dir, factory), TestIndexes.factory());
        out.println("READY");
        Random random = new Random(seed);
        int counter = 0;
        while (true) {
            String docId = "d" + random.nextInt(DOCS);
            if (random.nextInt(10) < 7) {
                int gen = (int) (seed % 100_000) * 10_000 + counter++;
                out.println("B U " + docId + " " + gen);
                        store.upsert(StoreFixtures.doc(docId, gen, CrashSafetyTest.chunksOf(gen)));
                out.println("A U " + docId + " " + gen);
            } else {
                out.println("B D " + docId);
                        store.delete(docId);
                out.println("A D " + docId);
            }
            if (random.nextInt(50) == 0) {
                store.compact();
            }
        }
    }

    private CrashWorkload() {
    }

    /** One {@code write(2)} per line, appended: a line is in the file whole or not at all. */
    private record Journal(FileOutputStream file) {
        void println(String line) throws IOException {
            file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    static Duration snapshotEvery() {
        return Duration.ofMillis(150);
    }
}
