package io.edgerag.consistency;

import io.edgerag.support.app.ApplianceProcess;
import io.edgerag.support.app.FleetWithCloud;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two appliances (packaged, separate JVMs), one real Kafka broker and the Pinecone stand-in (in this JVM,
 * on loopback), both edges using it as their cloud tier, b also running the cloud sink: the consistency
 * levels of issue 11 end to end, and the erasure report of issue 8.
 * Every check runs right after the write's acknowledgement, without waiting for convergence first.
 * The test that stops node b runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsistencyAcrossNodesIT {

    private static final String COLLECTION = "c11";

    private FleetWithCloud fleet;
    private PineconeStandInServer cloud;
    private ApplianceProcess a;
    private ApplianceProcess b;

    @BeforeAll
    void start() throws Exception {
        fleet = FleetWithCloud.start("it-consistency");
        cloud = fleet.cloud();
        a = node("a");
        // b also runs the cloud sink: the path by which a plain (local-level) delete reaches the cloud
        b = node("b").with("edgerag.cloud.sink.enabled", "true").with("edgerag.cloud.reconcile.interval", "0");
        fleet.startNodes();
        // `all` waits for the peers a node knows: let each hear the other's heartbeat first
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(knownPeers(a)).containsKey("b");
            assertThat(knownPeers(b)).containsKey("a");
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    private ApplianceProcess node(String id) throws Exception {
        return fleet.node(id)
                .with("edgerag.consistency.heartbeat-interval", "500ms")
                .with("edgerag.consistency.all-timeout", "5s")
                .with("edgerag.consistency.read-wait", "5s");
    }

    private static Map<String, Object> knownPeers(ApplianceProcess n) {
        return n.http().get("/api/status").then().statusCode(200).extract().path("consistency.knownPeers");
    }

    private static Response write(ApplianceProcess n, String id, String text, String consistency) {
        return n.http().contentType(ContentType.JSON).body(Map.of("id", id, "title", id, "collection", COLLECTION,
                "text", text, "consistency", consistency)).post("/api/documents");
    }

    private static Response search(ApplianceProcess n, String query, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("query", query, "collection", COLLECTION, "k", 5));
        body.putAll(extra);
        return n.http().contentType(ContentType.JSON).body(body).post("/api/search");
    }

    @Test
    @Order(1)
    void cloud_write_is_in_the_cloud_and_visible_on_the_other_node_at_acknowledgement() {
        Response w = write(a, "c11-cloud", "Volcanic ash clouds ground aircraft because the glass particles melt in jet engines.", "cloud");

        assertThat(w.statusCode()).isEqualTo(201);
        assertThat((Boolean) w.path("consistency.met")).isTrue();
        assertThat(cloud.stored(COLLECTION)).extracting(v -> v.getId()).contains("c11-cloud#0");
        Response r = search(b, "why volcanic ash grounds aircraft jet engines", Map.of("consistency", "fresh"));
        assertThat(r.<List<String>>path("results.docId")).contains("c11-cloud");
        assertThat(r.path("cloudStatus").toString()).isEqualTo("used");
    }

    @Test
    @Order(2)
    void all_write_is_searchable_on_both_nodes_when_acknowledged() {
        Response w = write(a, "c11-all", "Tsunami warnings go out when a seafloor earthquake displaces a large volume of water.", "all");

        assertThat(w.statusCode()).isEqualTo(201);
        assertThat(w.<List<String>>path("consistency.targets")).containsExactly("b");
        assertThat(w.<List<String>>path("consistency.pending")).isEmpty();
        String hlc = w.path("version.hlc");
        b.http().get("/api/documents/c11-all").then().statusCode(200)
                .body("version.hlc", org.hamcrest.Matchers.equalTo(hlc));
        Response r = search(b, "when are tsunami warnings issued", Map.of());
        assertThat(r.<List<String>>path("results.docId")).contains("c11-all");
    }

    @Test
    @Order(3)
    void read_your_writes_token_from_a_makes_a_read_on_b_wait_for_that_version_and_see_it() {
        Response w = write(a, "c11-token", "Avalanche beacons transmit at 457 kHz so that buried skiers can be found.", "local");
        String token = w.path("consistencyToken");

        Response r = search(b, "avalanche beacon frequency for buried skiers", Map.of("consistencyToken", token));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.path("consistency.token").toString()).isIn("met", "waited");
        assertThat(r.<List<String>>path("results.docId")).contains("c11-token");
        b.http().get("/api/documents/c11-token").then().statusCode(200)
                .body("version.hlc", org.hamcrest.Matchers.equalTo(w.path("version.hlc")));
    }

    /**
     * Right to be forgotten across the fleet: a plain delete on a reaches b through the change topic (b's
     * acknowledgement on the acks topic) and the cloud through b's sink (the tombstone head in the cloud's
     * versions namespace); a's erasure report shows both, with nothing written for it but the delete.
     */
    @Test
    @Order(4)
    void delete_on_a_is_reported_confirmed_by_b_and_by_the_cloud() {
        write(a, "c11-erase", "Patient record 4471: allergic to penicillin, treated in ward seven.", "all")
                .then().statusCode(201);

        a.http().delete("/api/documents/c11-erase").then().statusCode(204);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Response r = a.http().get("/api/documents/c11-erase/erasure");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat((Boolean) r.path("local.confirmed")).isTrue();
            assertThat(r.<String>path("nodes.find { it.node == 'b' }.acknowledged")).isEqualTo(r.path("hlc"));
            assertThat((Boolean) r.path("nodes.find { it.node == 'b' }.confirmed")).isTrue();
            assertThat(r.<String>path("cloud.status")).isEqualTo("confirmed");
            assertThat(r.<String>path("cloud.version")).isEqualTo(r.path("hlc"));
            assertThat((Boolean) r.path("complete")).isTrue();
        });
        assertThat(cloud.stored(COLLECTION)).extracting(v -> v.getId()).doesNotContain("c11-erase#0");
        b.http().get("/api/documents/c11-erase").then().statusCode(404);
        String hlc = a.http().get("/api/documents/c11-erase/erasure").path("hlc");
        String bAudit = b.http().get("/api/admin/audit/export").then().statusCode(200).extract().asString();
        assertThat(bAudit.lines().map(io.edgerag.audit.AuditEntry::parse)
                .filter(e -> "c11-erase".equals(e.docId()) && io.edgerag.audit.AuditActions.SYNC_DELETE.equals(e.action())))
                .singleElement().satisfies(e -> {
                    assertThat(e.principal()).isEqualTo("node:a");
                    assertThat(e.version()).isEqualTo(hlc);
                });
        assertThat(bAudit.lines().map(io.edgerag.audit.AuditEntry::parse)
                .filter(e -> "c11-erase".equals(e.docId()) && io.edgerag.audit.AuditActions.CLOUD_DELETE.equals(e.action())))
                .as("b's sink put the tombstone in the cloud").extracting(io.edgerag.audit.AuditEntry::version).containsExactly(hlc);
        assertThat(bAudit).doesNotContain("penicillin");
    }

    /**
     * Not a speed assertion: the cost of each level on this box, for the README (printed as
     * {@code [consistency-latency]}). It asserts only that every level was met.
     */
    @Test
    @Order(5)
    void measure_the_latency_of_each_level() {
        StringBuilder report = new StringBuilder("[consistency-latency] 10 writes per level on a (b up), levels interleaved;"
                + " ms p50/max of the whole request and of the wait beyond the local commit:");
        Map<String, List<Long>> took = new java.util.LinkedHashMap<>();
        Map<String, List<Long>> waited = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            for (String level : List.of("local", "cloud", "all")) {
                long start = System.nanoTime();
                Response w = write(a, "c11-m-" + level + "-" + i, "Measurement passage " + i + " about level " + level + ".", level);
                took.computeIfAbsent(level, k -> new java.util.ArrayList<>()).add((System.nanoTime() - start) / 1_000_000);
                assertThat(w.statusCode()).isEqualTo(201);
                waited.computeIfAbsent(level, k -> new java.util.ArrayList<>()).add(((Number) w.path("consistency.waitedMs")).longValue());
            }
        }
        for (String level : took.keySet()) {
            report.append(' ').append(level).append(" total ").append(p50max(took.get(level)))
                    .append(" wait ").append(p50max(waited.get(level))).append(level.equals("all") ? "" : ";");
        }
        List<Long> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String token = write(a, "c11-m-ryw-" + i, "Read your writes passage " + i + ".", "local").path("consistencyToken");
            Response r = search(b, "read your writes passage " + i, Map.of("consistencyToken", token));
            assertThat(r.path("consistency.token").toString()).isIn("met", "waited");
            waits.add(((Number) r.path("consistency.waitedMs")).longValue());
        }
        java.util.Collections.sort(waits);
        report.append("; token read on b right after a local write on a: wait p50 ").append(waits.get(5)).append(" max ")
                .append(waits.get(9));
        System.out.println(report);
    }

    private static String p50max(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) + "/" + sorted.get(sorted.size() - 1);
    }

    /**
     * A burst of bulk changes (as a backfill would publish, all on one partition of the change topic, so
     * b applies them in order), then a priority write on a: b applies the priority write ahead of the end
     * of the burst (its change-log sequence is lower than the burst's last), and both lags are printed.
     */
    @Test
    @Order(6)
    void priority_write_overtakes_a_bulk_burst() throws Exception {
        int burst = 5000;
        long hlc = System.currentTimeMillis() << 16;
        io.edgerag.sync.ChangeEventCodec codec = new io.edgerag.sync.ChangeEventCodec();
        java.util.Random random = new java.util.Random(11);
        long published;
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                "bootstrap.servers", fleet.bootstrapServers(), "linger.ms", 20, "batch.size", 1 << 20,
                "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName()))) {
            for (int i = 0; i < burst; i++) {
                float[] v = new float[384];
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) random.nextGaussian();
                }
                String id = "c11-bulk-" + i;
                var change = new io.edgerag.store.local.StoreRecords.DocumentChange(io.edgerag.store.local.StoreRecords.ChangeType.UPSERT,
                        id, new io.edgerag.store.local.Version(hlc + i, "bulk"), "bulk " + i, "backfill", COLLECTION + "-bulk", Map.of(),
                        "h" + i, "all-minilm-l6-v2", 1,
                        List.of(new io.edgerag.store.local.StoreRecords.ChunkRecord(id + "#0", "bulk passage " + i, null, v)));
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("edgerag.changes", 0, id, codec.encode(change, "bulk", true)));
            }
            producer.flush();
            published = System.nanoTime();
        }
        String last = "c11-bulk-" + (burst - 1);

        Response w = a.http().contentType(ContentType.JSON).body(Map.of("id", "c11-prio", "collection", COLLECTION,
                "text", "Evacuate the valley now: the dam spillway has failed.", "priority", "high")).post("/api/documents");
        long acked = System.nanoTime();
        assertThat(w.statusCode()).isEqualTo(201);
        assertThat(w.path("priority.lane").toString()).isEqualTo("priority");

        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(60))
                .until(() -> b.http().get("/api/documents/c11-prio").statusCode() == 200);
        long prioritySeen = System.nanoTime();
        await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(120))
                .until(() -> b.http().get("/api/documents/" + last).statusCode() == 200);
        long bulkSeen = System.nanoTime();

        long prioritySeq = ((Number) b.http().get("/api/documents/c11-prio/changes").path("[0].seq")).longValue();
        long lastBulkSeq = ((Number) b.http().get("/api/documents/" + last + "/changes").path("[0].seq")).longValue();
        System.out.println("[consistency-priority] burst of " + burst + " bulk changes, then a priority write on a: priority on b "
                + (prioritySeen - acked) / 1_000_000 + " ms after its ack; burst fully on b " + (bulkSeen - published) / 1_000_000
                + " ms after it was published; b's change-log seq priority " + prioritySeq + " < last bulk " + lastBulkSeq);
        assertThat(prioritySeq).isLessThan(lastBulkSeq);
    }

    @Test
    @Order(7)
    void with_b_stopped_an_all_write_reports_b_pending_within_its_timeout() throws Exception {
        b.stop();

        Response w = write(a, "c11-split", "Flood sirens sound three long blasts when the river gauge passes the danger mark.", "all");

        assertThat(w.statusCode()).isEqualTo(202);
        assertThat((Boolean) w.path("consistency.met")).isFalse();
        assertThat(w.<List<String>>path("consistency.pending")).containsExactly("b");
        assertThat(w.header("Edgerag-Consistency-Token")).startsWith("v1.");
        a.http().get("/api/documents/c11-split").then().statusCode(200);
    }
}
