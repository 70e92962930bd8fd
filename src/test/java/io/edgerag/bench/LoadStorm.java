package io.edgerag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storm of issue 10 against a running appliance whose Ollama is the stand-in configured like one GPU.
 * For each number of chat users: first the background alone (search clients) for the idle search p99,
 * then the storm — chat users in closed loops (think time between questions, {@code Retry-After}
 * honoured), the same search clients and an ingest client; every tenth chat of a user is abandoned
 * after the second token of a generated answer — then a settle check that no generation slot stayed
 * taken and the stand-in has no
 * stream left. Every response is checked: a well-formed answer (sources, tokens, done) or a well-formed
 * rejection (503 problem+json with Retry-After); anything else counts as malformed.
 *
 * <p>Arguments: appliance base URL, stand-in base URL, appliance PID (for its RSS), user levels
 * ({@code 1,8,32,128}), storm seconds per level, search clients, think ms.
 * Prints a Markdown table and {@code LOAD_*} lines for the script.
 */
public final class LoadStorm {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] QUESTIONS = {
        "What does edgerag do when Ollama is down?", "How is the local index stored?",
        "How do several edges stay in sync?", "What leaves the box in hybrid mode?",
        "How is the cloud asked when the local index is unsure?", "What does the degraded answer contain?",
        "How are documents chunked?", "Which embedding model is the default and why?"};

    /** One level's counts and samples. */
    public static final class Level {
        final LongAdder chats = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder degradedByLoad = new LongAdder();
        final LongAdder busyNoPassages = new LongAdder();
        final LongAdder degradedOther = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder disconnected = new LongAdder();
        final LongAdder malformed = new LongAdder();
        final LongAdder serverErrors = new LongAdder();
        final LongAdder searches = new LongAdder();
        final LongAdder searchRejected = new LongAdder();
        final LongAdder ingests = new LongAdder();
        final LongAdder ingestRejected = new LongAdder();
        final ConcurrentLinkedQueue<Long> ttftGenerated = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> ttftDegraded = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> searchNanos = new ConcurrentLinkedQueue<>();
        final Map<String, LongAdder> malformedWhy = new ConcurrentHashMap<>();

        public long chats() {
            return chats.sum();
        }

        public long completed() {
            return completed.sum();
        }

        public long degradedByLoad() {
            return degradedByLoad.sum();
        }

        public long rejected() {
            return rejected.sum();
        }

        public long abandoned() {
            return disconnected.sum();
        }

        public long malformed() {
            return malformed.sum();
        }

        public long serverErrors() {
            return serverErrors.sum();
        }

        public long searchesAnswered() {
            return searchNanos.size();
        }

        public Map<String, LongAdder> malformedWhy() {
            return malformedWhy;
        }

        void malformed(String why) {
            malformed.increment();
            malformedWhy.computeIfAbsent(why.length() > 80 ? why.substring(0, 80) : why, k -> new LongAdder()).increment();
        }
    }

    public static void main(String[] args) throws Exception {
        URI app = URI.create(args[0]);
        URI standIn = URI.create(args[1]);
        long pid = Long.parseLong(args[2]);
        int[] levels = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(args[4]);
        int searchClients = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        long thinkMs = args.length > 6 ? Long.parseLong(args[6]) : 1000;
        int rounds = args.length > 7 ? Math.max(1, Integer.parseInt(args[7])) : 1;

        for (int i = 0; i < 20; i++) {      // warm the search path (JIT, embedding session)
            search(app, new Level(), i);
        }
        System.out.println("| chat users | chats | completed | degraded (load; of which busy: no passages) | rejected 503 | abandoned mid-stream "
                + "| malformed / 5xx | TTFT p50 / p99 ms (generated) | time to extractive answer p50 / p99 ms "
                + "| search p99 idle → storm ms (ratio) | searches (503) | ingests (503) | appliance RSS peak MB "
                + "| slots / stand-in streams left |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        boolean allGood = true;
        for (int users : levels) {
            // idle and storm alternate (rounds), so that a change in what else the machine runs meanwhile
            // falls on both sides of the ratio rather than on one
            Level idle = new Level();
            Level storm = new Level();
            AtomicLong rssPeak = new AtomicLong();
            long[] left = {0, 0};
            for (int r = 0; r < rounds; r++) {
                runFor(Math.max(2, seconds / (2 * rounds)), searchClients, 0, false, app, idle, thinkMs, pid, new AtomicLong());
                runFor(Math.max(2, seconds / rounds), searchClients, users, true, app, storm, thinkMs, pid, rssPeak);
                left = settle(app, standIn);
            }
            double idleP99 = p(idle.searchNanos, 0.99);
            double stormP99 = p(storm.searchNanos, 0.99);
            System.out.printf("| %d | %d | %d | %d (%d) | %d | %d | %d / %d | %.0f / %.0f | %.0f / %.0f | %.1f → %.1f (%.2f×) "
                            + "| %d (%d) | %d (%d) | %d | %d / %d |%n",
                    users, storm.chats.sum(), storm.completed.sum(), storm.degradedByLoad.sum(),
                    storm.busyNoPassages.sum(), storm.rejected.sum(),
                    storm.disconnected.sum(), storm.malformed.sum(), storm.serverErrors.sum(),
                    p(storm.ttftGenerated, 0.5), p(storm.ttftGenerated, 0.99),
                    p(storm.ttftDegraded, 0.5), p(storm.ttftDegraded, 0.99),
                    idleP99, stormP99, stormP99 / idleP99, storm.searches.sum(), storm.searchRejected.sum(),
                    storm.ingests.sum(), storm.ingestRejected.sum(), rssPeak.get() / (1024 * 1024), left[0], left[1]);
            if (!storm.malformedWhy.isEmpty()) {
                System.out.println("<!-- malformed at " + users + " users: " + storm.malformedWhy + " -->");
            }
            allGood &= storm.malformed.sum() == 0 && storm.serverErrors.sum() == 0 && left[0] == 0 && left[1] == 0;
            System.out.printf("LOAD_LEVEL %d search_ratio %.2f malformed %d server_errors %d slots_left %d%n", users,
                    stormP99 / idleP99, storm.malformed.sum(), storm.serverErrors.sum(), left[0]);
        }
        System.out.println("LOAD_OK " + allGood);
    }

    /** The same storm, for a bounded test: chat users, search clients and (optionally) one ingest client. */
    public static Level storm(URI app, int seconds, int searchClients, int users, boolean ingest, long thinkMs)
            throws InterruptedException {
        Level level = new Level();
        runFor(seconds, searchClients, users, ingest, app, level, thinkMs, ProcessHandle.current().pid(), new AtomicLong());
        return level;
    }

    private static void runFor(int seconds, int searchClients, int users, boolean ingest, URI app, Level level,
                               long thinkMs, long pid, AtomicLong rssPeak) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < searchClients; c++) {
            int id = c;
            threads.add(start(() -> {
                for (int i = 0; System.nanoTime() < until; i++) {
                    search(app, level, id * 1000 + i);
                    sleep(50);
                }
            }));
        }
        for (int u = 0; u < users; u++) {
            int id = u;
            threads.add(start(() -> {
                sleep((long) (Math.random() * Math.min(thinkMs, 1000)));      // users do not all start at once
                for (int i = 0; System.nanoTime() < until; i++) {
                    long pause = chat(app, level, QUESTIONS[(id + i) % QUESTIONS.length], (id + i) % 10 == 9);
                    sleep(Math.max(pause, thinkMs));
                }
            }));
        }
        if (ingest) {
            threads.add(start(() -> {
                for (int i = 0; System.nanoTime() < until; i++) {
                    ingest(app, level, i);
                    sleep(200);
                }
            }));
        }
        while (System.nanoTime() < until) {
            rssPeak.accumulateAndGet(rss(pid), Math::max);
            sleep(250);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static Thread start(Runnable body) {
        Thread t = new Thread(body, "load-storm");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** @return how long to wait before the next question (Retry-After of a rejection), ms */
    private static long chat(URI app, Level level, String question, boolean abandon) {
        level.chats.increment();
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(app.resolve("/api/chat")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("question", question))))
                    .build();
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 503) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                String retry = response.headers().firstValue("Retry-After").orElse("");
                if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                        || !retry.matches("\\d+") || JSON.readTree(body).path("status").asInt() != 503) {
                    level.malformed("bad 503: " + body);
                    return 0;
                }
                level.rejected.increment();
                return Long.parseLong(retry) * 1000;
            }
            if (response.statusCode() >= 500) {
                level.serverErrors.increment();
                response.body().close();
                return 0;
            }
            if (response.statusCode() != 200) {
                level.malformed("status " + response.statusCode());
                response.body().close();
                return 0;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                List<String> names = new ArrayList<>();
                long firstToken = -1;
                int tokens = 0;
                JsonNode done = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        JsonNode data = JSON.readTree(line.substring(5).trim());
                        names.add(event);
                        if ("token".equals(event)) {
                            if (!data.has("text")) {
                                level.malformed("token without text");
                                return 0;
                            }
                            tokens++;
                            if (firstToken < 0) {
                                firstToken = System.nanoTime() - start;
                            }
                            // an extractive answer is one token: only a generated answer has a second
                            if (abandon && tokens == 2) {
                                level.disconnected.increment();
                                return 0;               // closing the stream drops the connection mid-answer
                            }
                        } else if ("done".equals(event)) {
                            done = data;
                        } else if ("error".equals(event)) {
                            level.malformed("error event " + data);
                            return 0;
                        }
                    }
                }
                if (names.isEmpty() || !"sources".equals(names.get(0)) || done == null || firstToken < 0) {
                    level.malformed("incomplete stream " + names);
                    return 0;
                }
                if (!done.path("degraded").asBoolean()) {
                    level.completed.increment();
                    level.ttftGenerated.add(firstToken);
                } else if (done.path("reason").asText().startsWith("overloaded")) {
                    level.degradedByLoad.increment();
                    if ("none".equals(done.path("model").asText())) {
                        level.busyNoPassages.increment();
                    }
                    level.ttftDegraded.add(firstToken);
                } else {
                    level.degradedOther.increment();
                    level.malformed("degraded for another reason: " + done.path("reason").asText());
                }
            }
        } catch (Exception e) {
            level.malformed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return 0;
    }

    private static void search(URI app, Level level, int i) {
        try {
            String body = JSON.writeValueAsString(Map.of("query", QUESTIONS[i % QUESTIONS.length], "k", 5));
            long start = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.resolve("/api/search"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            level.searches.increment();
            if (response.statusCode() == 200) {
                level.searchNanos.add(took);
            } else if (response.statusCode() == 503) {
                level.searchRejected.increment();
            } else if (response.statusCode() >= 500) {
                level.serverErrors.increment();
            } else {
                level.malformed("search status " + response.statusCode());
            }
        } catch (Exception e) {
            level.malformed("search " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void ingest(URI app, Level level, int i) {
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < 12; s++) {
            text.append("Load test document ").append(i).append(" sentence ").append(s)
                    .append(" talks about edge appliances, retrieval, generation and back-pressure. ");
        }
        try {
            String body = JSON.writeValueAsString(Map.of("id", "load-" + (i % 50), "title", "Load " + i,
                    "text", text.toString()));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.resolve("/api/documents"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            level.ingests.increment();
            if (response.statusCode() == 503) {
                level.ingestRejected.increment();
            } else if (response.statusCode() >= 500) {
                level.serverErrors.increment();
            } else if (response.statusCode() != 201) {
                level.malformed("ingest status " + response.statusCode());
            }
        } catch (Exception e) {
            level.malformed("ingest " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Waits up to 15 s for the generation lane and the stand-in to be empty; @return what is left: slots, streams. */
    private static long[] settle(URI app, URI standIn) throws Exception {
        Pattern inFlight = Pattern.compile("edgerag_admission_in_flight\\{lane=\"generation\"[^}]*} ([0-9.]+)");
        Pattern queued = Pattern.compile("edgerag_admission_queued\\{lane=\"generation\"[^}]*} ([0-9.]+)");
        long[] left = {-1, -1};
        for (int i = 0; i < 60; i++) {
            String metrics = HTTP.send(HttpRequest.newBuilder(app.resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode stats = JSON.readTree(HTTP.send(HttpRequest.newBuilder(standIn.resolve("/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            left[0] = (long) (value(inFlight, metrics) + value(queued, metrics));
            left[1] = stats.path("active").asLong();
            if (left[0] == 0 && left[1] == 0) {
                break;
            }
            sleep(250);
        }
        return left;
    }

    private static double value(Pattern p, String metrics) {
        Matcher m = p.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static double p(ConcurrentLinkedQueue<Long> nanos, double q) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, rank))] / 1e6;
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
