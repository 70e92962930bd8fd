package io.edgerag.sync;

import io.edgerag.support.app.ApplianceProcess;
import io.edgerag.support.kafka.KafkaBrokerProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three appliances (the packaged application, each its own JVM, port and data directory) and one
 * real Kafka broker (KRaft, its own JVM) on 127.0.0.1: the sync contract of issue 4 end to end.
 * Every document id is unique to its test, so the tests share the nodes without seeing each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncAcrossNodesIT {

    private static final Duration CONVERGE = Duration.ofSeconds(90);
    /** Every document id a test wrote, for the bootstrap test to compare. */
    private static final java.util.Set<String> TOUCHED = ConcurrentHashMap.newKeySet();

    private final Map<String, Version> conflictWinners = new ConcurrentHashMap<>();

    private KafkaBrokerProcess broker;
    private ApplianceProcess a;
    private ApplianceProcess b;
    private ApplianceProcess c;
    private Path root;

    @BeforeAll
    void startBrokerAndNodes() throws Exception {
        root = Files.createDirectories(Path.of("target", "it-sync")).resolve("run-" + System.currentTimeMillis());
        broker = new KafkaBrokerProcess(root.resolve("kafka")).start();
        a = node("a");
        b = node("b");
        c = node("c");
        ExecutorService starter = Executors.newFixedThreadPool(3);
        try {
            for (Future<?> f : starter.invokeAll(Stream.of(a, b, c).map(n -> (java.util.concurrent.Callable<Object>) n::start).toList())) {
                f.get();
            }
        } finally {
            starter.shutdown();
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        for (ApplianceProcess n : new ApplianceProcess[] {a, b, c}) {
            if (n != null) {
                n.stop();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private ApplianceProcess node(String id) throws Exception {
        return configure(new ApplianceProcess(id, root.resolve("node-" + id)), id, broker.bootstrapServers());
    }

    private static ApplianceProcess configure(ApplianceProcess n, String id, String bootstrap) {
        return n.with("edgerag.sync.enabled", "true")
                .with("edgerag.sync.node-id", id)
                .with("kafka.bootstrap.servers", bootstrap)
                .with("edgerag.embedding.model", "all-minilm-l6-v2")
                .with("edgerag.ingest.sample-corpus-on-first-run", "false")
                .with("edgerag.ollama.base-url", "http://127.0.0.1:9");
    }

    @Test
    @Order(1)
    void document_written_on_one_node_is_searchable_on_the_others() {
        Version written = put(a, "kiwi-sync", "Kiwi", "The kiwi is a flightless bird that lives only in New Zealand.");

        for (ApplianceProcess other : List.of(b, c)) {
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(version(other, "kiwi-sync")).contains(written));
            other.http().contentType(ContentType.JSON).body(Map.of("query", "flightless bird of New Zealand", "k", 3))
                    .post("/api/search").then().statusCode(200)
                    .body("results[0].docId", org.hamcrest.Matchers.equalTo("kiwi-sync"))
                    .body("results[0].text", org.hamcrest.Matchers.containsString("New Zealand"));
        }
    }

    @Test
    @Order(2)
    void delete_on_one_node_disappears_everywhere() {
        Version written = put(a, "forget-me", "Forget me", "A passage about the right to be forgotten.");
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(version(c, "forget-me")).contains(written));

        a.http().delete("/api/documents/forget-me").then().statusCode(204);

        for (ApplianceProcess n : List.of(a, b, c)) {
            await().atMost(CONVERGE).untilAsserted(() -> n.http().get("/api/documents/forget-me").then().statusCode(404));
            List<Map<String, Object>> history = history(n, "forget-me");
            assertThat(history).last().extracting(h -> h.get("type")).isEqualTo("DELETE");
            n.http().contentType(ContentType.JSON).body(Map.of("query", "right to be forgotten", "k", 10))
                    .post("/api/search").then().statusCode(200)
                    .body("results.docId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("forget-me")));
        }
    }

    @Test
    @Order(3)
    void concurrent_conflicting_updates_end_identical_everywhere_with_the_greater_version() throws Exception {
        int docs = 8;
        Map<String, Version> winners = conflictWinners;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < docs; i++) {
                String id = "conflict-" + i;
                CountDownLatch go = new CountDownLatch(1);
                Future<Version> onA = pool.submit(() -> { go.await(); return put(a, id, "from-a", "Version written on node a, number " + id); });
                Future<Version> onB = pool.submit(() -> { go.await(); return put(b, id, "from-b", "Version written on node b, number " + id); });
                go.countDown();
                Version va = onA.get();
                Version vb = onB.get();
                winners.put(id, va.compareTo(vb) > 0 ? va : vb);
            }
        } finally {
            pool.shutdown();
        }

        for (Map.Entry<String, Version> w : winners.entrySet()) {
            String expectedTitle = "from-" + w.getValue().nodeId();
            for (ApplianceProcess n : List.of(a, b, c)) {
                await().atMost(CONVERGE).untilAsserted(() -> {
                    Response doc = n.http().get("/api/documents/" + w.getKey());
                    assertThat(doc.statusCode()).isEqualTo(200);
                    assertThat(versionOf(doc)).as("%s on %s", w.getKey(), n.name()).isEqualTo(w.getValue());
                    assertThat(doc.<String>path("title")).isEqualTo(expectedTitle);
                });
            }
        }
    }

    @Test
    @Order(4)
    void broker_crash_during_writes_loses_no_acknowledged_write_and_applies_none_twice() throws Exception {
        int perWriter = 40;
        Map<String, Version> acked = new ConcurrentHashMap<>();
        Map<String, List<Version>> sequences = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        CountDownLatch halfway = new CountDownLatch(2);
        List<Future<?>> running = new ArrayList<>();
        for (ApplianceProcess writer : List.of(a, b)) {
            running.add(writers.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    String id = "stream-" + writer.name() + "-" + i;
                    acked.put(id, put(writer, id, "stream", "Streamed passage " + i + " written on " + writer.name()));
                    if (i == perWriter / 3) {
                        halfway.countDown();
                    }
                }
                return null;
            }));
        }
        // one document rewritten again and again on a: every node must end on the last write
        running.add(writers.submit(() -> {
            for (int round = 0; round < 3; round++) {
                for (int d = 0; d < 5; d++) {
                    String id = "ordered-" + d;
                    sequences.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(put(a, id, "round " + round, "Ordered passage " + d + " in round " + round));
                }
            }
            return null;
        }));

        halfway.await(2, TimeUnit.MINUTES);
        broker.kill();
        Thread.sleep(2_000); // writes go on into the outboxes meanwhile
        broker.restart();
        for (Future<?> f : running) {
            f.get(5, TimeUnit.MINUTES);
        }
        writers.shutdown();

        for (ApplianceProcess n : List.of(a, b, c)) {
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (Map.Entry<String, Version> e : acked.entrySet()) {
                    assertThat(version(n, e.getKey())).as("%s on %s", e.getKey(), n.name()).contains(e.getValue());
                }
                for (Map.Entry<String, List<Version>> e : sequences.entrySet()) {
                    assertThat(version(n, e.getKey())).as("%s on %s", e.getKey(), n.name())
                            .contains(e.getValue().get(e.getValue().size() - 1));
                }
            });
        }
        for (ApplianceProcess n : List.of(a, b, c)) {
            for (Map.Entry<String, Version> e : acked.entrySet()) {
                List<Map<String, Object>> applied = history(n, e.getKey());
                assertThat(applied).as("applies of %s on %s", e.getKey(), n.name()).hasSize(1);
            }
            for (Map.Entry<String, List<Version>> e : sequences.entrySet()) {
                List<Version> applied = history(n, e.getKey()).stream().map(SyncAcrossNodesIT::versionOf).toList();
                assertThat(applied).as("applies of %s on %s", e.getKey(), n.name())
                        .isSortedAccordingTo(Version::compareTo).doesNotHaveDuplicates()
                        .isSubsetOf(e.getValue()).endsWith(e.getValue().get(e.getValue().size() - 1));
            }
        }
    }

    @Test
    @Order(5)
    void node_offline_while_writes_go_on_everywhere_converges_when_it_returns() throws Exception {
        c.stop();
        Version onA = put(a, "while-c-away", "A", "Written on node a while node c was stopped.");
        a.http().delete("/api/documents/kiwi-sync").then().statusCode(204);

        // c comes back without a reachable broker: it serves and takes writes, which wait in its outbox
        ApplianceProcess cOffline = configure(new ApplianceProcess("c", root.resolve("node-c")), "c", "127.0.0.1:9").start();
        Version onC = put(cOffline, "written-offline-on-c", "C", "Written on node c while it had no broker.");
        assertThat(cOffline.http().get("/api/sync").<Integer>path("outbox.depth")).isGreaterThanOrEqualTo(1);
        assertThat(version(cOffline, "while-c-away")).isEmpty();
        cOffline.stop();

        c.start();
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(version(c, "while-c-away")).contains(onA);
            c.http().get("/api/documents/kiwi-sync").then().statusCode(404);
            assertThat(version(a, "written-offline-on-c")).contains(onC);
            assertThat(version(b, "written-offline-on-c")).contains(onC);
            assertThat(c.http().get("/api/sync").<Integer>path("outbox.depth")).isZero();
        });
    }

    @Test
    @Order(6)
    void poison_event_is_dead_lettered_with_its_reason_and_the_partition_keeps_flowing() throws Exception {
        long deadBefore = b.http().get("/api/sync").<Number>path("events.dead_lettered").longValue();
        String key = "after-poison";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            // same key = same partition as the real change that follows
            producer.send(new ProducerRecord<>("edgerag.changes", key, "{not json")).get();
            producer.send(new ProducerRecord<>("edgerag.changes", key,
                    "{\"schemaVersion\":99,\"docId\":\"after-poison\",\"type\":\"UPSERT\"}")).get();
        }
        Version real = put(a, key, "After the poison", "A real change behind two poison events in one partition.");

        await().atMost(CONVERGE).untilAsserted(() -> assertThat(version(b, key)).contains(real));
        assertThat(b.http().get("/api/sync").<Number>path("events.dead_lettered").longValue()).isEqualTo(deadBefore + 2);

        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of("edgerag.changes.dlq"));
            await().atMost(CONVERGE).untilAsserted(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if ("b".equals(header(r, "dead-letter-node"))) {
                        reasons.add(header(r, DeadLetters.REASON));
                    }
                }
                assertThat(reasons).hasSize(2);
            });
        }
        assertThat(reasons).anyMatch(r -> r.startsWith("not a change event"))
                .anyMatch(r -> r.contains("unknown schemaVersion 99"));
    }

    @Test
    @Order(7)
    void new_node_with_an_empty_disk_catches_up_from_the_log_and_converges() throws Exception {
        // In a compacted topic only the last record per document survives: for every conflict that
        // record must be the winner (its owner re-publishes it when a losing change followed it).
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(lastRecordVersions(conflictWinners.keySet()))
                .containsExactlyInAnyOrderEntriesOf(conflictWinners));

        try (ApplianceProcess d = node("d").start()) {
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String id : TOUCHED) {
                    assertThat(version(d, id)).as("%s on the new node", id).isEqualTo(version(a, id));
                }
            });
            d.http().contentType(ContentType.JSON).body(Map.of("query", "Streamed passage written on b", "k", 5))
                    .post("/api/search").then().statusCode(200)
                    .body("results[0].docId", org.hamcrest.Matchers.startsWith("stream-b-"));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Version of the last record of each of {@code keys} in the change topic, read from the beginning. */
    private Map<String, Version> lastRecordVersions(java.util.Set<String> keys) {
        Map<String, Version> last = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            var partitions = consumer.partitionsFor("edgerag.changes").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (keys.contains(r.key())) {
                        Map<String, Object> v = io.restassured.path.json.JsonPath.from(r.value()).getMap("version");
                        last.put(r.key(), new Version(Long.parseLong((String) v.get("hlc")), (String) v.get("nodeId")));
                    }
                }
            }
        }
        return last;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Version put(ApplianceProcess n, String id, String title, String text) {
        TOUCHED.add(id);
        Response r = n.http().contentType(ContentType.JSON).body(Map.of("id", id, "title", title, "text", text))
                .post("/api/documents");
        assertThat(r.statusCode()).as("POST %s on %s: %s", id, n.name(), r.asString()).isEqualTo(201);
        return versionOf(r);
    }

    private static Optional<Version> version(ApplianceProcess n, String id) {
        Response r = n.http().get("/api/documents/" + id);
        return r.statusCode() == 200 ? Optional.of(versionOf(r)) : Optional.empty();
    }

    private static List<Map<String, Object>> history(ApplianceProcess n, String id) {
        return n.http().get("/api/documents/" + id + "/changes").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static Version versionOf(Response r) {
        return new Version(Long.parseLong(r.path("version.hlc")), r.path("version.nodeId"));
    }

    @SuppressWarnings("unchecked")
    private static Version versionOf(Map<String, Object> change) {
        Map<String, Object> v = (Map<String, Object>) change.get("version");
        return new Version(Long.parseLong((String) v.get("hlc")), (String) v.get("nodeId"));
    }

    private record Version(long hlc, String nodeId) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            int byHlc = Long.compare(hlc, o.hlc);
            return byHlc != 0 ? byHlc : nodeId.compareTo(o.nodeId);
        }
    }
}
