package io.edgerag.store.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Documents with recognisable chunks: text {@code "<docId> g<generation> #<n>"}, vector seeded from the same. */
public final class StoreFixtures {

    public static final int DIM = 32;

    private StoreFixtures() {
    }

    public static DocumentWrite doc(String docId, int generation, int chunks) {
        return doc(docId, generation, chunks, "default", Map.of());
    }

    public static DocumentWrite doc(String docId, int generation, int chunks, String collection, Map<String, String> metadata) {
        List<DocumentWrite.ChunkWrite> list = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            list.add(new DocumentWrite.ChunkWrite(docId + "#" + i, text(docId, generation, i), vector(docId, generation, i)));
        }
        return new DocumentWrite(docId, "Title " + docId, "test://" + docId, collection, metadata,
                "hash-" + docId + "-" + generation, "test-model", 1, list);
    }

    public static String text(String docId, int generation, int chunk) {
        return docId + " g" + generation + " #" + chunk;
    }

    public static float[] vector(String docId, int generation, int chunk) {
        return TestVectors.seeded(docId + "/" + generation + "/" + chunk, DIM);
    }

    /** The generation encoded in a chunk text written by {@link #doc}. */
    public static int generationOf(String text) {
        return Integer.parseInt(text.substring(text.indexOf(" g") + 2, text.indexOf(" #")));
    }

    public static StoreConfig.Builder config(Path dir, String factory) {
        StoreConfig.Builder b = StoreConfig.builder(dir, DIM).indexFactory(factory).snapshotInterval(Duration.ZERO);
        if (factory.contains("IVF")) {
            b.trainMinVectors(64).tuning(new VectorIndex.SearchTuning(0, 4));
        } else if (factory.contains("HNSW")) {
            b.tuning(new VectorIndex.SearchTuning(128, 0));
        }
        return b;
    }

    /** A copy of the store's files as they are on disk now: what a crash at this instant leaves. */
    public static void crashImage(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("write.lock")) { // Lucene's lock: a crash leaves no holder
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
