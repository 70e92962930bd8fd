package io.edgerag.observability;

import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.support.kafka.KafkaBrokerResource;
import io.edgerag.support.otel.InMemorySpans;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.HybridLogicalClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace context across the durable sync path, with a real Kafka broker (its own JVM): a write's trace
 * is stored with its outbox row, published in the record's {@code traceparent} header, and continued
 * by the {@code sync.apply} span of whichever node applies the record. Here the other node is played
 * by the test itself, with a plain Kafka producer and consumer: it reads the header this node wrote,
 * and writes a record (with a {@code traceparent} of its own) that this node must apply in that trace.
 */
@QuarkusTest
@TestProfile(SyncTracesTest.SyncOn.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class SyncTracesTest {

    public static class SyncOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgerag.sync.enabled", "true", "edgerag.sync.node-id", "trace-node");
        }
    }

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @Inject
    InMemorySpanExporter spans;
    @Inject
    Embedder embedder;

    @Test
    void should_carry_the_trace_of_a_write_through_the_outbox_and_the_record_headers_to_the_apply_span() {
        String traceId = newTraceId();
        given().contentType(ContentType.JSON).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(Map.of("id", "traced-write", "title", "Moss", "text", "Moss grows on the north side of trees."))
                .post("/api/documents").then().statusCode(201);

        ConsumerRecord<String, String> record = recordOf("traced-write");
        String traceparent = header(record, "traceparent");
        assertThat(traceparent).as("traceparent header").isNotNull().startsWith("00-" + traceId + "-");

        // this node consumes its own topic too: its apply (a duplicate here) continues the same trace
        await().atMost(CONVERGE).until(() -> named(traceId, "sync.apply").isPresent());
        SpanData server = InMemorySpans.ofTrace(spans, traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        SpanData publish = named(traceId, "sync.publish").orElseThrow();
        SpanData apply = named(traceId, "sync.apply").orElseThrow();
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(ancestors(publish)).as("publish descends from the HTTP write").contains(server.getSpanId());
        assertThat(traceparent.split("-")[2]).as("the header names the publish span").isEqualTo(publish.getSpanId());
        assertThat(apply.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(apply.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(apply.getAttributes().get(AttributeKey.stringKey("edgerag.doc_id"))).isEqualTo("traced-write");
        assertThat(apply.getAttributes().get(AttributeKey.stringKey("edgerag.sync.outcome"))).isEqualTo("duplicate");
    }

    @Test
    void should_apply_a_change_from_another_node_in_the_trace_its_record_header_names() throws Exception {
        String traceId = newTraceId();
        String remoteSpanId = "b7ad6b7169203331";
        String text = "Lichens are a partnership of a fungus and an alga.";
        ChangeEventCodec codec = new ChangeEventCodec();
        long hlc = HybridLogicalClock.of(System.currentTimeMillis(), 0);
        DocumentChange change = new DocumentChange(ChangeType.UPSERT, "remote-traced", new Version(hlc, "node-b"),
                "Lichens", null, null, Map.of(), ChangeEventCodec.sha256(text), embedder.modelId(),
                Embedder.SCHEMA_VERSION, List.of(new ChunkRecord("remote-traced#0", text, null,
                        embedder.embedPassages(List.of("Lichens\n" + text)).get(0))));
        ProducerRecord<String, String> record = new ProducerRecord<>("edgerag.changes", "remote-traced",
                codec.encode(change, "node-b", true));
        record.headers().add("traceparent", ("00-" + traceId + "-" + remoteSpanId + "-01").getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"))) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        await().atMost(CONVERGE).until(() -> named(traceId, "sync.apply").isPresent());
        SpanData apply = named(traceId, "sync.apply").orElseThrow();
        assertThat(apply.getParentSpanId()).isEqualTo(remoteSpanId);
        assertThat(apply.getAttributes().get(AttributeKey.stringKey("edgerag.sync.outcome"))).isEqualTo("applied");
        given().get("/api/documents/remote-traced").then().statusCode(200);
    }

    private static List<String> ancestorsOf(List<SpanData> trace, SpanData span) {
        List<String> out = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        for (int depth = 0; depth < 20; depth++) {
            out.add(parent);
            String p = parent;
            Optional<SpanData> next = trace.stream().filter(s -> s.getSpanId().equals(p)).findFirst();
            if (next.isEmpty()) {
                break;
            }
            parent = next.get().getParentSpanId();
        }
        return out;
    }

    private List<String> ancestors(SpanData span) {
        return ancestorsOf(InMemorySpans.ofTrace(spans, span.getTraceId()), span);
    }

    private Optional<SpanData> named(String traceId, String name) {
        return InMemorySpans.ofTrace(spans, traceId).stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String header(ConsumerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The first record of {@code docId} on the change topic, read as another node would. */
    private static ConsumerRecord<String, String> recordOf(String docId) {
        return io.edgerag.support.kafka.ChangeTopicRecords.firstOf(docId,
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()), CONVERGE);
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
