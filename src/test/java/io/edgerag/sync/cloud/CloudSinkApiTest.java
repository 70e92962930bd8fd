package io.edgerag.sync.cloud;

import io.edgerag.embedding.Embedder;
import io.edgerag.ingest.IngestService;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.support.kafka.KafkaBrokerResource;
import io.edgerag.support.pinecone.PineconeStandInResource;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.pinecone.proto.Vector;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cloud sink and the reconciler in one appliance, end to end: HTTP ingest → outbox → a real Kafka
 * broker (its own JVM) → the sink's consumer group → the real Pinecone client → {@link PineconeStandInServer}
 * (a loopback stand-in of Pinecone's data plane: Pinecone cannot run here). Every test uses document
 * ids of its own.
 */
@QuarkusTest
@TestProfile(CloudSinkApiTest.SinkOn.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(PineconeStandInResource.class)
class CloudSinkApiTest {

    public static class SinkOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "edgerag.sync.enabled", "true",
                    "edgerag.sync.node-id", "sink-node",
                    "edgerag.cloud.sink.enabled", "true",
                    "edgerag.cloud.sink.max-backoff", "1s",
                    "edgerag.cloud.reconcile.interval", "0",
                    "edgerag.egress.restricted-collections", "patients");
        }
    }

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String VERSIONS = "__edgerag_versions__";

    @Inject
    CloudVectorStore cloud;
    @Inject
    CloudSinkMetrics metrics;
    @Inject
    Embedder embedder;

    private final PineconeStandInServer standIn = PineconeStandInResource.standIn();

    @BeforeEach
    void cloudUp() throws Exception {
        standIn.upAndClean();
    }

    @Test
    void should_write_an_ingested_document_with_its_version_and_replace_its_chunks_on_update() {
        String v1 = ingest("sink-update", "Rivers", longText("River", 40), null);
        Map<String, Map<String, String>> first = awaitChunks("", "sink-update", v1);
        assertThat(first).hasSizeGreaterThan(1);
        assertThat(first.values()).allSatisfy(md -> assertThat(md)
                .containsEntry(CloudRecord.DOC_ID, "sink-update")
                .containsEntry(CloudRecord.VERSION_NODE, "sink-node")
                .containsEntry(CloudRecord.TITLE, "Rivers")
                .containsKeys(CloudRecord.TEXT, CloudRecord.TEXT_HASH, CloudSink.EMBEDDING_MODEL));
        assertThat(head("sink-update")).containsEntry(CloudRecord.VERSION_HLC, v1).containsEntry(CloudHead.TOMBSTONE, "false");

        String v2 = ingest("sink-update", "Rivers", "A river is a natural stream of water flowing to the sea.", null);

        Map<String, Map<String, String>> second = awaitChunks("", "sink-update", v2);
        assertThat(second.keySet()).containsExactly("sink-update#0");
        assertThat(ids("")).filteredOn(id -> id.startsWith("sink-update#")).containsExactly("sink-update#0");
        assertThat(head("sink-update")).containsEntry(CloudRecord.VERSION_HLC, v2);
    }

    @Test
    void should_write_into_the_collections_namespace_and_remove_a_deleted_document_for_good() {
        String v1 = ingest("sink-delete", "Glaciers", "Glaciers are slow rivers of ice that carve valleys.", "geo");
        awaitChunks("geo", "sink-delete", v1);
        String v1Event = eventOnTheLog("sink-delete", v1);

        given().delete("/api/documents/sink-delete").then().statusCode(204);

        await().atMost(CONVERGE).until(() -> chunks("geo", "sink-delete").isEmpty()
                && "true".equals(head("sink-delete").get(CloudHead.TOMBSTONE)));
        assertThat(head("sink-delete")).doesNotContainKey(CloudRecord.TEXT);
        assertThat(ids("geo")).noneMatch(id -> id.startsWith("sink-delete"));

        // the tombstone stays: the first version, delivered again, cannot bring the document back
        long stale = metrics.count(SinkOutcome.STALE);
        replay("sink-delete", v1Event);
        await().atMost(CONVERGE).until(() -> metrics.count(SinkOutcome.STALE) > stale);
        assertThat(chunks("geo", "sink-delete")).isEmpty();
        assertThat(head("sink-delete")).containsEntry(CloudHead.TOMBSTONE, "true");
    }

    @Test
    void should_change_nothing_when_an_older_version_is_replayed() {
        String v1 = ingest("sink-replay", "Deltas", "A delta forms where a river deposits sediment at its mouth.", null);
        awaitChunks("", "sink-replay", v1);
        String v1Event = eventOnTheLog("sink-replay", v1);
        String v2 = ingest("sink-replay", "Deltas", "The Nile delta is one of the largest river deltas in the world.", null);
        Map<String, Map<String, String>> current = awaitChunks("", "sink-replay", v2);
        int upsertsBefore = standIn.calls("Upsert");
        long stale = metrics.count(SinkOutcome.STALE);

        replay("sink-replay", v1Event);

        await().atMost(CONVERGE).until(() -> metrics.count(SinkOutcome.STALE) > stale);
        assertThat(chunks("", "sink-replay")).isEqualTo(current);
        assertThat(head("sink-replay")).containsEntry(CloudRecord.VERSION_HLC, v2);
        assertThat(standIn.calls("Upsert")).as("a stale event writes nothing").isEqualTo(upsertsBefore);
    }

    @Test
    void should_keep_writing_locally_while_the_cloud_is_down_and_catch_up_after() throws Exception {
        long errors = metrics.errorCount();
        standIn.stop();
        String a = ingest("sink-outage-a", "Lakes", "A lake is a body of water surrounded by land.", null);
        String b = ingest("sink-outage-b", "Ponds", "A pond is a small, shallow body of still water.", null);

        await().atMost(CONVERGE).until(() -> metrics.errorCount() > errors);
        assertThat(chunks("", "sink-outage-a")).isEmpty();
        given().get("/api/documents/sink-outage-b").then().statusCode(200);

        standIn.start();

        awaitChunks("", "sink-outage-a", a);
        awaitChunks("", "sink-outage-b", b);
        assertThat(head("sink-outage-a")).containsEntry(CloudRecord.VERSION_HLC, a);
        assertThat(head("sink-outage-b")).containsEntry(CloudRecord.VERSION_HLC, b);
    }

    @Test
    void should_publish_a_document_written_in_the_cloud_directly_so_that_the_edge_can_search_it() {
        String text = "Fjords are long, narrow sea inlets with steep sides, carved by glaciers in Norway.";
        float[] vector = embedder.embedPassages(List.of(IngestService.withTitle("Fjords", text))).get(0);
        Map<String, String> md = new LinkedHashMap<>();
        md.put(CloudRecord.DOC_ID, "cloud-fjords");
        md.put(CloudRecord.TEXT, text);
        md.put(CloudRecord.TITLE, "Fjords");
        md.put(CloudRecord.SOURCE, "atlas.md");
        cloud.upsert(null, List.of(new CloudRecord("cloud-fjords#0", vector, md))).await().atMost(Duration.ofSeconds(10));

        Response summary = given().post("/api/admin/cloud/reconcile");

        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.<Integer>path("published")).isGreaterThanOrEqualTo(1);
        assertThat(summary.<Integer>path("scanned")).isGreaterThanOrEqualTo(1);
        // the node's own consumer applies it (its origin is the cloud, not this node)
        await().atMost(CONVERGE).until(() -> given().get("/api/documents/cloud-fjords").statusCode() == 200);
        Response doc = given().get("/api/documents/cloud-fjords");
        assertThat(doc.<String>path("version.nodeId")).isEqualTo("cloud");
        assertThat(doc.<String>path("title")).isEqualTo("Fjords");
        Response search = given().contentType(ContentType.JSON)
                .body(Map.of("query", "narrow sea inlets carved by glaciers", "k", 3))
                .post("/api/search");
        assertThat(search.<List<String>>path("results.findAll { it.tier == 'local' }.docId")).contains("cloud-fjords");

        // the sink writes it back with the version the log now carries; then there is nothing left to publish
        String hlc = doc.path("version.hlc");
        awaitChunks("", "cloud-fjords", hlc);
        assertThat(head("cloud-fjords")).containsEntry(CloudRecord.VERSION_NODE, "cloud");
        await().atMost(CONVERGE).until(() -> given().post("/api/admin/cloud/reconcile").<Integer>path("published") == 0);
    }

    @Test
    void should_store_no_text_of_restricted_collections_and_no_pii_in_any_metadata() {
        String secret = "Patient Zed was admitted with acute appendicitis on ward seven";
        given().contentType(ContentType.JSON).body(Map.of("id", "patient-zed", "title", "Admission note",
                        "text", secret, "collection", "patients", "metadata", Map.of("ward", "seven")))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("id", "contact-sheet",
                        "title", "Call Ann on +44 20 7946 0958 or SSN 123-45-6789",
                        "source", "mailto:ann.lee@example.org",
                        "text", "Support rota for the harbour office.",
                        "metadata", Map.of("owner", "ann.lee@example.org", "desk", "harbour")))
                .post("/api/documents").then().statusCode(201);

        await().atMost(CONVERGE).until(() -> !head("patient-zed").isEmpty() && !head("contact-sheet").isEmpty());

        java.util.regex.Pattern pii = java.util.regex.Pattern.compile(
                "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}|\\d{3}-\\d{2}-\\d{4}|7946 0958");
        int scanned = 0;
        boolean sawPatientVectors = false;
        for (String namespace : standIn.namespaces()) {
            for (var vector : standIn.stored(namespace)) {
                String everything = vector.getId() + " " + vector.getMetadata();
                scanned++;
                assertThat(everything).as("record %s in namespace %s", vector.getId(), namespace)
                        .doesNotContain("appendicitis").doesNotContain("Patient Zed").doesNotContain("ward seven");
                assertThat(pii.matcher(everything).find()).as("PII in %s: %s", vector.getId(), everything).isFalse();
                sawPatientVectors |= vector.getId().startsWith("patient-zed#") && vector.getValuesCount() > 0;
            }
        }
        assertThat(scanned).isGreaterThan(2);
        assertThat(sawPatientVectors).as("restricted collections still send their vectors").isTrue();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String ingest(String id, String title, String text, String collection) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("id", id, "title", title, "text", text));
        if (collection != null) {
            body.put("collection", collection);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/documents")
                .then().statusCode(201).extract().path("version.hlc");
    }

    private static String longText(String subject, int sentences) {
        return IntStream.range(0, sentences).mapToObj(i -> subject + " fact number " + i
                        + " describes how water, sediment and time shape the land in a slightly different way each time.")
                .collect(Collectors.joining(" "));
    }

    /** Chunks of a document in a namespace, once every chunk carries {@code hlc}. */
    private Map<String, Map<String, String>> awaitChunks(String namespace, String docId, String hlc) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Map<String, String>> c = chunks(namespace, docId);
            return !c.isEmpty() && c.values().stream().allMatch(md -> hlc.equals(md.get(CloudRecord.VERSION_HLC)))
                    && hlc.equals(head(docId).get(CloudRecord.VERSION_HLC));
        });
        return chunks(namespace, docId);
    }

    private Map<String, Map<String, String>> chunks(String namespace, String docId) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Vector v : standIn.stored(namespace)) {
            if (v.getId().startsWith(docId + "#")) {
                out.put(v.getId(), metadata(v));
            }
        }
        return out;
    }

    private List<String> ids(String namespace) {
        return standIn.stored(namespace).stream().map(Vector::getId).toList();
    }

    private Map<String, String> head(String docId) {
        return standIn.stored(VERSIONS).stream().filter(v -> v.getId().equals(docId)).findFirst()
                .map(CloudSinkApiTest::metadata).orElse(Map.of());
    }

    private static Map<String, String> metadata(Vector v) {
        Map<String, String> md = new TreeMap<>();
        v.getMetadata().getFieldsMap().forEach((k, value) -> md.put(k, value.getStringValue()));
        return md;
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** The JSON of the change of {@code docId} at version {@code hlc}, as the relay published it. */
    private static String eventOnTheLog(String docId, String hlc) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("edgerag.changes").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (docId.equals(r.key()) && r.value().contains("\"hlc\":\"" + hlc + "\"")) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("no change of " + docId + " at " + hlc + " on the log");
    }

    private static void replay(String docId, String json) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("edgerag.changes", docId, json)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot replay the change of " + docId, e);
        }
    }
}
