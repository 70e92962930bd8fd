package io.edgerag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.support.OllamaStandInServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Time to first token through the appliance ({@code POST /api/chat}, SSE) against the same Ollama
 * stand-in asked directly ({@code POST /api/chat}, NDJSON), alternating request by request with the
 * same SciFact questions, one at a time. The appliance path includes retrieval (query embedding + index
 * search), prompt building and the Ollama client; its {@code done} event reports the retrieval part.
 *
 * <p>Arguments: appliance base URL, stand-in base URL, measured requests, warm-up requests.
 */
public final class TimeToFirstToken {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Sample(double firstTokenMs, double sourcesMs, long retrievalMs) {
    }

    public static void main(String[] args) throws Exception {
        URI appliance = URI.create(args[0]);
        URI standIn = URI.create(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<String> questions = new ArrayList<>(SciFact.load(SciFact.locate()).testQueries().values());
        double[] direct = new double[n];
        double[] through = new double[n];
        double[] sources = new double[n];
        double[] retrieval = new double[n];
        for (int i = -warmup; i < n; i++) {
            String q = questions.get((i + warmup) % questions.size());
            double d = direct(standIn, q);
            Sample s = through(appliance, q);
            if (i >= 0) {
                direct[i] = d;
                through[i] = s.firstTokenMs();
                sources[i] = s.sourcesMs();
                retrieval[i] = s.retrievalMs();
            }
        }
        double[] overhead = new double[n];
        double[] overheadLessRetrieval = new double[n];
        for (int i = 0; i < n; i++) {
            overhead[i] = through[i] - direct[i];
            overheadLessRetrieval[i] = overhead[i] - retrieval[i];
        }
        System.out.println("| path (" + n + " requests, sequential) | p50 ms | p90 ms | p99 ms |");
        System.out.println("|---|---|---|---|");
        row("first token, directly from the stand-in", direct);
        row("first token through `/api/chat`", through);
        row("`sources` event through `/api/chat`", sources);
        row("overhead (paired: through − direct)", overhead);
        row("retrieval inside the appliance (`done.retrievalMs`)", retrieval);
        row("overhead less retrieval", overheadLessRetrieval);
        System.out.printf("TTFT_OVERHEAD_P50 %.2f%n", percentile(overhead, 0.5));
    }

    private static void row(String label, double[] values) {
        System.out.printf("| %s | %.1f | %.1f | %.1f |%n", label, percentile(values, 0.5), percentile(values, 0.9),
                percentile(values, 0.99));
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return SciFactOverHttp.percentile(sorted, p);
    }

    private static double direct(URI standIn, String question) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("model", OllamaStandInServer.MODEL)
                .put("stream", true).set("messages", JSON.createArrayNode().add(JSON.createObjectNode()
                        .put("role", "user").put("content", question))));
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = HTTP.send(post(standIn.resolve("/api/chat"), body, "application/x-ndjson"),
                HttpResponse.BodyHandlers.ofLines());
        double first = -1;
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (first < 0 && !JSON.readTree(line).path("message").path("content").asText().isEmpty()) {
                    first = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        if (first < 0) {
            throw new IllegalStateException("the stand-in sent no token");
        }
        return first;
    }

    private static Sample through(URI appliance, String question) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("question", question));
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = HTTP.send(post(appliance.resolve("/api/chat"), body, "text/event-stream"),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/api/chat answered " + response.statusCode());
        }
        double first = -1;
        double sources = -1;
        String event = "message";
        JsonNode done = null;
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    double t = (System.nanoTime() - start) / 1e6;
                    if (event.equals("sources") && sources < 0) {
                        sources = t;
                    } else if (event.equals("token") && first < 0) {
                        first = t;
                    } else if (event.equals("done")) {
                        done = JSON.readTree(line.substring(5).trim());
                    } else if (event.equals("error")) {
                        throw new IllegalStateException("/api/chat error event: " + line);
                    }
                } else if (line.isEmpty()) {
                    event = "message";
                }
            }
        }
        if (first < 0 || done == null || done.path("degraded").asBoolean()) {
            throw new IllegalStateException("/api/chat gave no token from the stand-in (degraded: " + done + ")");
        }
        return new Sample(first, sources, done.path("retrievalMs").asLong());
    }

    private static HttpRequest post(URI uri, String body, String accept) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
