package io.edgerag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.support.app.ApplianceProcess;
import io.edgerag.support.kafka.KafkaBrokerProcess;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.HybridLogicalClock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Issue 4's sync benchmark, on one machine with one real broker (KRaft, its own JVM) and the packaged
 * appliance as separate JVMs ({@code bench/sync.sh}; arguments below). Prints Markdown.
 *
 * <ol>
 *   <li><b>Floor</b>: a plain {@link KafkaProducer} (acks=all, idempotent, linger 2 ms: the relay's
 *       settings) and {@link KafkaConsumer} (max.poll.records 500: the node's) in this JVM, change-event
 *       sized records at a fixed rate: create → received, per record.</li>
 *   <li><b>Lag at each rate</b>: this JVM acts as node A's relay and produces valid change events
 *       (encoded by the appliance's own {@link ChangeEventCodec}, version = an HLC taken when the event is
 *       made, i.e. A's write ack) to a fresh node B's topic. Lag = B's own {@code edgerag_sync_lag_seconds}
 *       (recorded after the batch is committed and indexed, i.e. searchable), as the difference of its
 *       Prometheus histogram between the end of the warm-up and the end of the measured window.</li>
 *   <li><b>End to end</b>: {@code POST /api/documents} on a real node A (embedding included) at a target
 *       rate; lag on B as above, from A's HLC of the write.</li>
 *   <li><b>Apply rate</b>: N events preloaded, then a fresh B started; events/s from its first observed
 *       applied event to the N-th, against a plain consumer reading the same N records and
 *       {@code ChangeEventCodec.decode} alone, in this JVM.</li>
 * </ol>
 */
public final class SyncBench {

    private static final String MODEL = "all-minilm-l6-v2";
    private static final int DIM = 384;
    private static final String ORIGIN = "bench-a";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final HybridLogicalClock clock = new HybridLogicalClock();
    private final float[][] vectors = new float[512][];
    private final List<ApplianceProcess> nodes = new ArrayList<>();

    // options
    private int[] rates = {100, 1000};
    private int warmupSeconds = 10;
    private int seconds = 30;
    private int applyN = 50_000;
    private int e2eDocs = 600;
    private int e2eRate = 100;
    private int e2eClients = 4;
    private boolean e2e = true;
    private boolean lag = true;
    private boolean apply = true;
    private Path jfrDir;
    private String nodeHeap = "2g";
    private Path root;
    private KafkaBrokerProcess broker;

    public static void main(String[] args) throws Exception {
        SyncBench bench = new SyncBench();
        bench.parse(args);
        try {
            bench.run();
        } finally {
            bench.shutdown();
        }
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> {
                    warmupSeconds = 3;
                    seconds = 10;
                    applyN = 10_000;
                    e2eDocs = 150;
                }
                case "--rates" -> rates = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--apply-n" -> applyN = Integer.parseInt(args[++i]);
                case "--e2e-docs" -> e2eDocs = Integer.parseInt(args[++i]);
                case "--e2e-rate" -> e2eRate = Integer.parseInt(args[++i]);
                case "--e2e-clients" -> e2eClients = Integer.parseInt(args[++i]);
                case "--no-e2e" -> e2e = false;     // same as --only lag,apply
                case "--only" -> {
                    List<String> parts = List.of(args[++i].split(","));
                    lag = parts.contains("lag");
                    e2e = parts.contains("e2e");
                    apply = parts.contains("apply");
                }
                case "--jfr" -> jfrDir = Path.of(args[++i]).toAbsolutePath();
                case "--node-heap" -> nodeHeap = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + a + " (see bench/sync.sh)");
            }
        }
    }

    private void run() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = randomUnit(random);
        }
        root = Files.createDirectories(Path.of("target", "bench-sync")).resolve("run-" + System.currentTimeMillis());
        broker = new KafkaBrokerProcess(root.resolve("kafka")).start();
        int eventBytes = event("size-probe", clock.next()).length();

        line("Machine: " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores; load average at start: " + loadAverage());
        line("Settings: warm-up " + warmupSeconds + " s + measured " + seconds + " s per rate; apply N = " + applyN
                + "; e2e " + (e2e ? e2eDocs + " docs at " + e2eRate + "/s with " + e2eClients + " clients" : "off")
                + "; change event = 1 chunk, " + DIM + "-d, " + eventBytes + " bytes of JSON; topics 3 partitions");
        line("");

        // ---- 1 + 2: floor and lag per rate --------------------------------------------------------
        List<String> lagRows = new ArrayList<>();
        for (int rate : lag ? rates : new int[0]) {
            Latency floor = rawKafkaLatency(rate);
            progress("floor at %d/s: p50 %.1f ms, p99 %.1f ms (sent at %.0f/s)", rate, floor.p50, floor.p99, floor.achievedRate);
            Lag lag = lagOnB(rate);
            progress("lag at %d/s: p50 %.1f ms, p99 %.1f ms (sent at %.0f/s, drained %.1f s after the last send)",
                    rate, lag.p50, lag.p99, lag.achievedRate, lag.drainSeconds);
            lagRows.add(String.format(Locale.ROOT, "| %d | %.0f | %d | **%.1f** | **%.1f** | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f | %s |",
                    rate, lag.achievedRate, lag.count, lag.p50, lag.p99, lag.windowP50, lag.windowP99,
                    lag.appliedAtP50, lag.appliedAtP99, floor.p50, floor.p99, lag.drainSeconds,
                    lag.p99 < 1000 ? "p99 < 1 s" : "p99 ≥ 1 s"));
        }
        if (lag) {
        line("### Sync lag: change events for B at a fixed rate (this JVM acts as A's relay)");
        line("");
        line("| events/s offered | sent/s | events measured | lag p50 ms | lag p99 ms | B window p50 / p99 ms | appliedAt sample p50 / p99 ms | floor: raw Kafka p50 / p99 ms | drain s | target |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        lagRows.forEach(this::line);
        line("");
        line("lag = B's `edgerag_sync_lag_seconds` (apply done and searchable − event HLC time), histogram delta over the measured window, "
                + "linear inside Micrometer's buckets (~10 % wide); window = B's own `/api/sync` p50/p99 (Micrometer's decaying window, includes warm-up); "
                + "appliedAt = `GET /api/documents/{id}/changes` for 200 sampled events (taken at the start of the write transaction: a lower bound); "
                + "floor = plain producer → consumer in this JVM, same rate, same record size; drain = last event applied − last event sent.");
        line("");
        }

        // ---- 3: end to end through A's HTTP API ----------------------------------------------------
        if (e2e) {
            EndToEnd r = endToEnd();
            line("### End to end: `POST /api/documents` on A (embedding included), searchable on B");
            line("");
            line("| target writes/s | achieved writes/s | clients | docs measured | HTTP 201 p50 / p99 ms | lag A write → B searchable p50 ms | p99 ms | appliedAt sample p50 / p99 ms |");
            line("|---|---|---|---|---|---|---|---|");
            line(String.format(Locale.ROOT, "| %d | %.1f | %d | %d | %.0f / %.0f | **%.1f** | **%.1f** | %.1f / %.1f |",
                    e2eRate, r.achievedRate, e2eClients, r.lag.count, r.ackP50, r.ackP99, r.lag.p50, r.lag.p99,
                    r.lag.appliedAtP50, r.lag.appliedAtP99));
            line("");
        }

        // ---- 4: apply rate -------------------------------------------------------------------------
        if (apply) {
            applySection();
        }
        line("Load average at end: " + loadAverage());
    }

    private void applySection() throws Exception {
        Apply apply = applyRate();
        line("### Apply rate on one node (" + applyN + " events preloaded, fresh node B)");
        line("");
        line("| N | B applies events/s | raw KafkaConsumer events/s | `ChangeEventCodec.decode` alone, 1 thread, events/s | B / raw consumer | B CPU s in window | events per B CPU-second | target |");
        line("|---|---|---|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| %d | **%.0f** | %.0f | %.0f | %.3f× | %.1f | %.0f | %s |", applyN, apply.nodeRate, apply.rawRate,
                apply.decodeRate, apply.nodeRate / apply.rawRate, apply.cpuSeconds, apply.windowEvents / apply.cpuSeconds,
                apply.nodeRate >= 5000 ? "≥ 5,000/s met" : "< 5,000/s"));
        line("");
        line("B: from the first `/api/sync` poll (every 100 ms) that shows applied events to the one that shows all N, "
                + "excluding those already applied at the first. Raw consumer: from its first non-empty poll to the N-th record. "
                + "Decode alone: best of 5 passes over the same N payloads. B CPU = user + system time of B's whole JVM (JIT, GC, "
                + "background compaction included) over the same window, from /proc: on a shared machine, events per CPU-second "
                + "is the figure the other load disturbs least. "
                + (jfrDir != null ? "B ran with JFR (profile settings), recording in " + jfrDir + ". " : ""));
        line("");
    }

    // ==== 1. floor ==================================================================================

    record Latency(double p50, double p99, double achievedRate) {
    }

    private Latency rawKafkaLatency(int rate) throws Exception {
        String topic = "bench.raw." + rate;
        broker.createTopic(topic, KafkaBrokerProcess.DEFAULT_PARTITIONS, Map.of());
        int warm = rate * warmupSeconds;
        int total = warm + rate * seconds;
        long[] created = new long[total];
        long[] received = new long[total];
        AtomicInteger got = new AtomicInteger();
        CountDownLatch assigned = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = consumer("bench-raw-" + rate)) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds + seconds + 120L);
                while (got.get() < total && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    for (ConsumerRecord<String, String> r : records) {
                        int i = Integer.parseInt(r.key().substring(r.key().lastIndexOf('-') + 1));
                        if (received[i] == 0) {
                            received[i] = now;
                            got.incrementAndGet();
                        }
                    }
                }
            } catch (Throwable t) {
                failed.set(t);
                assigned.countDown();
            }
        }, "raw-consumer-" + rate);
        reader.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("raw consumer got no partitions in 60 s");
        }
        double achieved;
        try (KafkaProducer<String, String> producer = producer()) {
            sendAtRate(producer, rate, 0, warm, i -> {
                created[i] = System.nanoTime();
                return new ProducerRecord<>(topic, "raw-" + rate + "-" + i, event("raw-" + rate + "-" + i, clock.next()));
            });
            achieved = sendAtRate(producer, rate, warm, total - warm, i -> {
                created[i] = System.nanoTime();
                return new ProducerRecord<>(topic, "raw-" + rate + "-" + i, event("raw-" + rate + "-" + i, clock.next()));
            });
        }
        reader.join();
        if (failed.get() != null) {
            throw new IllegalStateException("raw consumer failed", failed.get());
        }
        if (got.get() < total) {
            throw new IllegalStateException("raw consumer got " + got.get() + " of " + total + " records");
        }
        long[] lat = new long[total - warm];
        for (int i = warm; i < total; i++) {
            lat[i - warm] = received[i] - created[i];
        }
        return new Latency(Stats.percentileMs(lat, 50), Stats.percentileMs(lat, 99), achieved);
    }

    // ==== 2. lag on B ===============================================================================

    record Lag(long count, double p50, double p99, double windowP50, double windowP99, double appliedAtP50,
               double appliedAtP99, double achievedRate, double drainSeconds) {
    }

    private Lag lagOnB(int rate) throws Exception {
        String topic = "bench.changes." + rate;
        broker.createTopic(topic, KafkaBrokerProcess.DEFAULT_PARTITIONS, Map.of());
        ApplianceProcess b = node("b" + rate, topic).start();
        int warm = rate * warmupSeconds;
        int total = warm + rate * seconds;
        long[] hlcs = new long[total];
        String prefix = "lag" + rate + "-";
        double achieved;
        long lastSent;
        Map<Double, Double> before;
        try (KafkaProducer<String, String> producer = producer()) {
            IntFunction<ProducerRecord<String, String>> make = i -> {
                hlcs[i] = clock.next();                                // A's write ack
                return new ProducerRecord<>(topic, prefix + i, event(prefix + i, hlcs[i]));
            };
            sendAtRate(producer, rate, 0, warm, make);
            awaitApplied(b, warm, Duration.ofMinutes(10));
            before = lagBuckets(b);
            achieved = sendAtRate(producer, rate, warm, total - warm, make);
            lastSent = System.currentTimeMillis();
        }
        long done = awaitApplied(b, total, Duration.ofMinutes(10));
        Map<Double, Double> after = lagBuckets(b);
        JsonNode sync = getJson(b, "/api/sync");
        double[] sample = appliedAtLag(b, prefix, warm, total, i -> hlcs[i]);
        b.stop();
        double[] pct = percentiles(before, after);
        return new Lag((long) pct[2], pct[0], pct[1], sync.path("lag").path("p50Millis").asDouble(),
                sync.path("lag").path("p99Millis").asDouble(), sample[0], sample[1], achieved, (done - lastSent) / 1000.0);
    }

    // ==== 3. end to end =============================================================================

    record EndToEnd(double achievedRate, double ackP50, double ackP99, Lag lag) {
    }

    private EndToEnd endToEnd() throws Exception {
        String topic = "bench.changes.e2e";
        broker.createTopic(topic, KafkaBrokerProcess.DEFAULT_PARTITIONS, Map.of());
        ApplianceProcess a = node("e2e-a", topic);
        ApplianceProcess b = node("e2e-b", topic);
        ExecutorService starter = Executors.newFixedThreadPool(2);
        List<Callable<ApplianceProcess>> starts = List.of(a::start, b::start);
        for (Future<?> f : starter.invokeAll(starts)) {
            f.get();
        }
        starter.shutdown();
        int warm = Math.max(20, e2eDocs / 10);
        int total = warm + e2eDocs;
        long[] hlcs = new long[total];
        long[] ackNanos = new long[total];
        long[] ackAt = new long[total];
        write(a, 0, warm, hlcs, ackNanos, ackAt);
        awaitApplied(b, warm, Duration.ofMinutes(5));
        Map<Double, Double> before = lagBuckets(b);
        long began = System.nanoTime();
        write(a, warm, total, hlcs, ackNanos, ackAt);
        double achieved = e2eDocs / ((Arrays.stream(ackAt, warm, total).max().orElseThrow() - began) / 1e9);
        awaitApplied(b, total, Duration.ofMinutes(10));
        Map<Double, Double> after = lagBuckets(b);
        double[] sample = appliedAtLag(b, "e2e-", warm, total, i -> hlcs[i]);
        a.stop();
        b.stop();
        double[] pct = percentiles(before, after);
        long[] acks = Arrays.copyOfRange(ackNanos, warm, total);
        return new EndToEnd(achieved, Stats.percentileMs(acks, 50), Stats.percentileMs(acks, 99),
                new Lag((long) pct[2], pct[0], pct[1], 0, 0, sample[0], sample[1], achieved, 0));
    }

    /** Documents [from, to) on {@code a}: {@link #e2eClients} clients, each write due at its slot of the target rate. */
    private void write(ApplianceProcess a, int from, int to, long[] hlcs, long[] ackNanos, long[] ackAt) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        long start = System.nanoTime();
        long period = 1_000_000_000L / e2eRate;
        ExecutorService clients = Executors.newFixedThreadPool(e2eClients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < e2eClients; c++) {
            running.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    parkUntil(start + (i - from) * period);
                    String id = "e2e-" + i;
                    String body = JSON.writeValueAsString(Map.of("id", id, "title", "Bench document " + i, "text", text(i)));
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(a.baseUri() + "/api/documents"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    long t1 = System.nanoTime();
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("POST " + id + " → " + r.statusCode() + ": " + r.body());
                    }
                    hlcs[i] = Long.parseLong(JSON.readTree(r.body()).path("version").path("hlc").asText());
                    ackNanos[i] = t1 - t0;
                    ackAt[i] = t1;
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
    }

    // ==== 4. apply rate =============================================================================

    record Apply(double nodeRate, double rawRate, double decodeRate, double cpuSeconds, long windowEvents) {
    }

    private Apply applyRate() throws Exception {
        String topic = "bench.changes.apply";
        broker.createTopic(topic, KafkaBrokerProcess.DEFAULT_PARTITIONS, Map.of());
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < applyN; i++) {
                producer.send(new ProducerRecord<>(topic, "apply-" + i, event("apply-" + i, clock.next())), (m, e) -> {
                    if (e != null) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            producer.flush();
        }
        progress("preloaded %d events in %.1f s", applyN, (System.nanoTime() - t0) / 1e9);

        // raw consumer on the same records, keeping the payloads for the decode-only figure
        String[] payloads = new String[applyN];
        double rawRate;
        try (KafkaConsumer<String, String> consumer = consumer("bench-raw-apply")) {
            consumer.subscribe(List.of(topic));
            int n = 0;
            int firstBatch = -1;
            long first = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (n < applyN && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> r : records) {
                    payloads[n++] = r.value();
                }
                if (firstBatch < 0 && n > 0) {
                    firstBatch = n;
                    first = System.nanoTime();
                }
            }
            if (n < applyN) {
                throw new IllegalStateException("raw consumer read " + n + " of " + applyN);
            }
            rawRate = (applyN - firstBatch) / ((System.nanoTime() - first) / 1e9);
        }
        double decodeRate = 0;
        for (int pass = 0; pass < 5; pass++) {                        // the first passes warm the JIT up
            long s = System.nanoTime();
            for (String p : payloads) {
                codec.decode(p);
            }
            decodeRate = Math.max(decodeRate, applyN / ((System.nanoTime() - s) / 1e9));
        }
        payloads = null;
        progress("raw consumer %.0f events/s, decode alone %.0f events/s", rawRate, decodeRate);

        ApplianceProcess b = node("b-apply", topic);
        if (jfrDir != null) {
            Files.createDirectories(jfrDir);
            b.jvmOptions("-Xmx" + nodeHeap, "-XX:StartFlightRecording=settings=profile,filename="
                    + jfrDir.resolve("apply-node.jfr") + ",dumponexit=true");
        }
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<?> started = starter.submit(() -> b.start());
        long firstAt = 0;
        long firstCount = -1;
        double firstCpu = 0;
        long lastAt;
        double lastCpu;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (true) {
            long applied;
            try {
                applied = appliedCount(b);
            } catch (IOException notYet) {
                applied = -1;
            }
            long now = System.nanoTime();
            if (applied > 0 && firstCount < 0) {
                firstCount = applied;
                firstAt = now;
                firstCpu = cpuSeconds(b.pid());
            }
            if (applied >= applyN) {
                lastAt = now;
                lastCpu = cpuSeconds(b.pid());
                break;
            }
            if (now > deadline) {
                throw new IllegalStateException("B applied " + applied + " of " + applyN + " in 15 min");
            }
            Thread.sleep(100);
        }
        started.get();
        starter.shutdown();
        if (firstCount >= applyN) {
            throw new IllegalStateException("B applied all " + applyN + " events before the first poll: raise --apply-n");
        }
        double nodeRate = (applyN - firstCount) / ((lastAt - firstAt) / 1e9);
        progress("B applied %d events at %.0f/s (first poll saw %d)", applyN, nodeRate, firstCount);
        b.stop();
        return new Apply(nodeRate, rawRate, decodeRate, lastCpu - firstCpu, applyN - firstCount);
    }

    // ==== helpers ===================================================================================

    private ApplianceProcess node(String name, String topic) throws IOException {
        ApplianceProcess n = new ApplianceProcess(name, root.resolve("node-" + name))
                .jvmOptions("-Xmx" + nodeHeap)                              // production JIT, not the tests' C1-only
                .with("edgerag.sync.enabled", "true")
                .with("edgerag.sync.node-id", "bench-" + name)
                .with("kafka.bootstrap.servers", broker.bootstrapServers())
                .with("mp.messaging.incoming.changes-in.topic", topic)
                .with("mp.messaging.outgoing.changes-out.topic", topic)
                .with("edgerag.embedding.model", MODEL)
                .with("edgerag.ingest.sample-corpus-on-first-run", "false")
                .with("edgerag.ollama.base-url", "http://127.0.0.1:9")
                .with("quarkus.log.category.\"io.edgerag.sync\".level", "WARN");
        nodes.add(n);
        return n;
    }

    /** A valid UPSERT for {@code docId} at version {@code hlc} of node {@value #ORIGIN}, as A's relay would publish it. */
    private String event(String docId, long hlc) {
        int h = Math.floorMod(docId.hashCode(), vectors.length);
        String text = text(h) + " " + docId;
        DocumentChange change = new DocumentChange(ChangeType.UPSERT, docId, new Version(hlc, ORIGIN), "Bench " + docId,
                "bench", null, Map.of(), Integer.toHexString(text.hashCode()), MODEL, Embedder.SCHEMA_VERSION,
                List.of(new ChunkRecord(docId + "#0", text, null, vectors[h])));
        return codec.encode(change, ORIGIN, true);
    }

    /** ~300 characters of passage text. */
    private static String text(int i) {
        return ("Passage " + i + " of the sync benchmark. Edge appliances converge through change events on a "
                + "Kafka topic; each event carries the chunk text, its hash and its embedding, so that a receiving "
                + "node can index it without running the model again. This sentence pads the chunk to the usual size, "
                + "and this one makes sure it has three hundred characters.").substring(0, 300);
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** Sends [from, from + count) at {@code rate}/s on a fixed schedule (open loop); returns the achieved rate. */
    private static double sendAtRate(KafkaProducer<String, String> producer, int rate, int from, int count,
                                     IntFunction<ProducerRecord<String, String>> make) {
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicReference<Exception> failed = new AtomicReference<>();
        for (int i = 0; i < count; i++) {
            parkUntil(start + i * period);
            producer.send(make.apply(from + i), (m, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            });
        }
        double achieved = count / ((System.nanoTime() - start) / 1e9) ;
        producer.flush();
        if (failed.get() != null) {
            throw new IllegalStateException("send failed", failed.get());
        }
        return achieved;
    }

    private static void parkUntil(long due) {
        for (long d = due - System.nanoTime(); d > 0; d = due - System.nanoTime()) {
            LockSupport.parkNanos(d);
        }
    }

    /** The relay's producer settings (application.properties, changes-out). */
    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** The node's consumer settings (changes-in), in a group of its own. */
    private KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }

    /** Polls {@code /api/sync} until {@code events.applied} ≥ n; returns the wall-clock ms when it was seen. */
    private long awaitApplied(ApplianceProcess n, long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long applied = -1;
        while (System.nanoTime() < deadline) {
            applied = appliedCount(n);
            if (applied >= count) {
                return System.currentTimeMillis();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(n.name() + " applied " + applied + " of " + count + " within " + timeout
                + " (log: " + n.logFile() + ")");
    }

    private long appliedCount(ApplianceProcess n) throws Exception {
        JsonNode events = getJson(n, "/api/sync").path("events");
        if (events.path("dead_lettered").asLong() > 0) {
            throw new IllegalStateException(n.name() + " dead-lettered bench events: see " + n.logFile());
        }
        return events.path("applied").asLong();
    }

    private JsonNode getJson(ApplianceProcess n, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.baseUri() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " → " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** Cumulative {@code edgerag_sync_lag_seconds_bucket} counts by upper bound (seconds), from {@code /q/metrics}. */
    private Map<Double, Double> lagBuckets(ApplianceProcess n) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(n.baseUri() + "/q/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Double> buckets = new TreeMap<>();
        for (String l : body.split("\n")) {
            if (l.startsWith("edgerag_sync_lag_seconds_bucket{")) {
                int le = l.indexOf("le=\"") + 4;
                String bound = l.substring(le, l.indexOf('"', le));
                double count = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                buckets.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), count);
            }
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("no edgerag_sync_lag_seconds_bucket on " + n.baseUri() + "/q/metrics");
        }
        return buckets;
    }

    /** p50 and p99 in ms of the events recorded between two bucket snapshots, and their count. */
    static double[] percentiles(Map<Double, Double> before, Map<Double, Double> after) {
        List<double[]> delta = new ArrayList<>();                   // {upper bound s, cumulative count}
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            delta.add(new double[] {e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)});
        }
        double total = delta.get(delta.size() - 1)[1];
        return new double[] {quantileMs(delta, total, 0.50), quantileMs(delta, total, 0.99), total};
    }

    private static double quantileMs(List<double[]> cumulative, double total, double q) {
        double target = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (double[] b : cumulative) {
            if (b[1] >= target) {
                if (Double.isInfinite(b[0])) {
                    return Double.POSITIVE_INFINITY;
                }
                double share = b[1] == lowerCount ? 1 : (target - lowerCount) / (b[1] - lowerCount);
                return (lowerBound + share * (b[0] - lowerBound)) * 1000;
            }
            lowerBound = b[0];
            lowerCount = b[1];
        }
        return Double.NaN;
    }

    interface HlcOf {
        long of(int i);
    }

    /** appliedAt − HLC physical time of 200 events spread over [from, to), p50 / p99 in ms. */
    private double[] appliedAtLag(ApplianceProcess n, String prefix, int from, int to, HlcOf hlc) throws Exception {
        int samples = Math.min(200, to - from);
        long[] lags = new long[samples];
        for (int s = 0; s < samples; s++) {
            int i = from + (int) ((long) s * (to - from) / samples);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.baseUri() + "/api/documents/" + prefix + i + "/changes"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode changes = JSON.readTree(r.body());
            JsonNode at = changes.get(changes.size() - 1).path("appliedAt");
            long appliedMs = at.isNumber()
                    ? (at.asText().contains(".") ? (long) (at.asDouble() * 1000) : at.asLong())
                    : Instant.parse(at.asText()).toEpochMilli();
            lags[s] = (appliedMs - HybridLogicalClock.physicalMillis(hlc.of(i))) * 1_000_000L;
        }
        return new double[] {Stats.percentileMs(lags, 50), Stats.percentileMs(lags, 99)};
    }

    private void line(String s) {
        System.out.println(s);
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[sync-bench] " + format + "%n", args);
    }

    /** User + system CPU seconds of a process so far (Linux /proc; 100 ticks per second). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;   // fields 14 and 15: utime, stime
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private void shutdown() throws InterruptedException {
        for (ApplianceProcess n : nodes) {
            n.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }
}
