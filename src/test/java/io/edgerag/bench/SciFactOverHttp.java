package io.edgerag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs SciFact through a running appliance's public HTTP API — {@code POST /api/documents} for
 * every abstract, {@code POST /api/search} for every test query — so the figure covers parsing,
 * chunking, embedding, the FAISS index and the chunk→document id mapping, exactly as users get them.
 */
public final class SciFactOverHttp {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public SciFactOverHttp(URI base) {
        this.base = base;
    }

    /** Ingests the corpus with {@code parallelism} concurrent writers; returns chunks written. */
    public long ingest(SciFact data, int parallelism, String collection) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Integer>> chunks = new ArrayList<>();
            for (SciFact.Doc doc : data.corpus()) {
                chunks.add(pool.submit(() -> {
                    ObjectNode body = json.createObjectNode()
                            .put("id", doc.id()).put("title", doc.title()).put("text", doc.text())
                            .put("source", "scifact").put("collection", collection);
                    JsonNode answer = post("/api/documents", body, 201);
                    int n = done.incrementAndGet();
                    if (n % 1000 == 0) {
                        System.out.printf("  ingested %d/%d documents%n", n, data.corpus().size());
                    }
                    return answer.get("chunks").asInt();
                }));
            }
            long total = 0;
            for (Future<Integer> f : chunks) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Searches every test query; returns the scores and per-query latencies in ms. */
    public Result evaluate(SciFact data, int k, String collection, String mode) throws Exception {
        return evaluate(data, k, collection, java.util.Collections.singletonList(mode)).get(0);
    }

    /**
     * Searches every test query in every mode, the modes interleaved query by query (in a rotating
     * order), so that their latencies are measured under the same machine load and can be compared.
     */
    public List<Result> evaluate(SciFact data, int k, String collection, List<String> modes) throws Exception {
        List<Map<String, List<String>>> runs = new ArrayList<>();
        List<double[]> latencies = new ArrayList<>();
        for (int m = 0; m < modes.size(); m++) {
            runs.add(new LinkedHashMap<>());
            latencies.add(new double[data.testQueries().size()]);
        }
        int i = 0;
        for (Map.Entry<String, String> q : data.testQueries().entrySet()) {
            for (int j = 0; j < modes.size(); j++) {
                int m = (i + j) % modes.size();
                String mode = modes.get(m);
                ObjectNode body = json.createObjectNode().put("query", q.getValue()).put("k", k).put("collection", collection);
                if (mode != null) { // "hybrid" or "hybrid+weighted": a mode and, optionally, a fusion
                    String[] parts = mode.split("\\+");
                    body.put("mode", parts[0]);
                    if (parts.length > 1) {
                        body.put("fusion", parts[1]);
                    }
                }
                long start = System.nanoTime();
                JsonNode answer = post("/api/search", body, 200);
                latencies.get(m)[i] = (System.nanoTime() - start) / 1e6;
                Set<String> ranked = new LinkedHashSet<>();
                answer.get("results").forEach(r -> ranked.add(r.get("docId").asText()));
                runs.get(m).put(q.getKey(), new ArrayList<>(ranked));
            }
            i++;
        }
        List<Result> results = new ArrayList<>();
        for (int m = 0; m < modes.size(); m++) {
            double[] sorted = latencies.get(m).clone();
            Arrays.sort(sorted);
            results.add(new Result(data.score(runs.get(m)), percentile(sorted, 0.50), percentile(sorted, 0.99)));
        }
        return results;
    }

    /** Chunks the appliance holds now ({@code GET /api/status}). */
    public long chunkCount() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body()).path("store").path("chunks").asLong();
    }

    public record Result(SciFact.Scores scores, double p50Ms, double p99Ms) {
    }

    /** Nearest-rank percentile of an ascending array ({@code p} in 0..1). */
    static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private JsonNode post(String path, ObjectNode body, int expected) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
