package io.edgerag.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.embedding.Embedder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The floor under {@code /api/search}: the bare embedding model's time per query ({@link Embedder#embedQuery},
 * one thread) over the SciFact test queries. With a path argument it also writes those queries as
 * {@code /api/search} bodies, one JSON per line, for the load generator ({@code bench/search.lua}).
 *
 * <p>Arguments: [bodies file] [k] [rounds]. Prints {@code FLOOR p50 p99 mean} in ms on its last line.
 */
public final class SearchFloor {

    public static void main(String[] args) throws Exception {
        Path dir = SciFact.locate();
        if (dir == null) {
            throw new IllegalStateException("SciFact not found: set SCIFACT_DIR or run beside shared/data/scifact");
        }
        List<String> queries = new ArrayList<>(SciFact.load(dir).testQueries().values());
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        if (args.length > 0 && !args[0].isEmpty()) {
            ObjectMapper json = new ObjectMapper();
            List<String> bodies = new ArrayList<>();
            for (String q : queries) {
                bodies.add(json.writeValueAsString(json.createObjectNode().put("query", q).put("k", k)));
            }
            Files.write(Path.of(args[0]), bodies);
        }
        Embedder embedder = BenchEmbedder.embedder();
        for (int i = 0; i < 100; i++) {
            embedder.embedQuery(queries.get(i % queries.size()));
        }
        double[] ms = new double[queries.size() * rounds];
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            for (String q : queries) {
                long start = System.nanoTime();
                embedder.embedQuery(q);
                ms[n++] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        double mean = Arrays.stream(ms).average().orElse(0);
        System.out.printf("FLOOR %.2f %.2f %.2f%n", SciFactOverHttp.percentile(ms, 0.50),
                SciFactOverHttp.percentile(ms, 0.99), mean);
    }
}
