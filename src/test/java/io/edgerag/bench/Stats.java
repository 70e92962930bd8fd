package io.edgerag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Small measurement helpers: percentiles, recall, resident memory. */
final class Stats {

    private Stats() {
    }

    /** The p-th percentile (0..100) of nanosecond samples, in milliseconds (nearest rank). */
    static double percentileMs(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, rank))] / 1e6;
    }

    /** Mean recall@k of {@code found} (row-major, k per query) against {@code truth} (k per query). */
    static double recall(long[] found, long[] truth, int nq, int k) {
        long hits = 0;
        for (int q = 0; q < nq; q++) {
            Set<Long> t = new HashSet<>();
            for (int i = 0; i < k; i++) {
                t.add(truth[q * k + i]);
            }
            for (int i = 0; i < k; i++) {
                if (t.contains(found[q * k + i])) {
                    hits++;
                }
            }
        }
        return (double) hits / ((long) nq * k);
    }

    /** VmRSS of this process in bytes (Linux), after a GC so freed heap objects do not count twice. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    /** Java heap in use after a full GC, in bytes. */
    static long heapUsedBytes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static long directorySize(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f", bytes / 1048576.0);
    }
}
