package io.edgerag.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/scifact.sh} runs this against an appliance it started: ingests SciFact over HTTP,
 * then prints one Markdown table row per retrieval mode (modes interleaved query by query, so their
 * latencies share the machine's load). A store that already holds chunks is reused (BENCH_DATA).
 *
 * <p>Arguments: base URL, label (model id), modes (comma separated, "default" = the server's default).
 */
public final class SciFactBench {

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080/");
        String label = args.length > 1 ? args[1] : "default";
        String[] modes = (args.length > 2 ? args[2] : "default").split(",");
        Path dir = SciFact.locate();
        if (dir == null) {
            throw new IllegalStateException("SciFact not found: set SCIFACT_DIR or run beside shared/data/scifact");
        }
        SciFact data = SciFact.load(dir);
        SciFactOverHttp driver = new SciFactOverHttp(base);
        if (driver.chunkCount() == 0) {
            long start = System.nanoTime();
            long chunks = driver.ingest(data, 4, "scifact");
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ingested %d documents as %d chunks in %.1f s (%.1f chunks/s)%n",
                    data.corpus().size(), chunks, ingestSeconds, chunks / ingestSeconds);
        } else {
            System.out.printf("reusing a store of %d chunks (BENCH_DATA)%n", driver.chunkCount());
        }
        List<String> wanted = new ArrayList<>();
        for (String mode : modes) {
            wanted.add("default".equals(mode) ? null : mode);
        }
        List<SciFactOverHttp.Result> results = driver.evaluate(data, 100, "scifact", wanted);
        System.out.println("| model | mode | nDCG@10 | Recall@100 | p50 ms | p99 ms | p99 / vector p99 |");
        System.out.println("|---|---|---|---|---|---|---|");
        int vector = java.util.Arrays.asList(modes).indexOf("vector");
        for (int m = 0; m < modes.length; m++) {
            SciFactOverHttp.Result r = results.get(m);
            String ratio = vector < 0 ? "" : String.format("%.2f", r.p99Ms() / results.get(vector).p99Ms());
            System.out.printf("| %s | %s | %.4f | %.4f | %.1f | %.1f | %s |%n", label, modes[m],
                    r.scores().ndcgAt10(), r.scores().recallAt100(), r.p50Ms(), r.p99Ms(), ratio);
        }
    }
}
