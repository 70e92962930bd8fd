package io.edgerag.sync;

import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.support.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hybrid sync against a broker that only speaks SASL_SSL (SCRAM-SHA-512 over TLS, certificates from a CA
 * generated for the run), configured the way README "Security → Transport" says: {@code kafka.security.protocol},
 * {@code kafka.sasl.*}, {@code kafka.ssl.truststore.*}. A write reaches the change topic, and a change another
 * node publishes is applied here; the test's own producer and consumer use the same settings.
 */
@QuarkusTest
@TestProfile(SyncOverSaslSslTest.SyncOn.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "security", value = "SASL_SSL"))
class SyncOverSaslSslTest {

    public static class SyncOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgerag.sync.enabled", "true", "edgerag.sync.node-id", "tls-node");
        }
    }

    private static final Duration CONVERGE = Duration.ofSeconds(90);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    Embedder embedder;

    @Test
    void should_publish_a_write_to_the_change_topic_over_sasl_ssl() {
        assertThat(kafka).containsEntry("security.protocol", "SASL_SSL").containsKey("sasl.jaas.config");
        given().contentType(ContentType.JSON)
                .body(Map.of("id", "sealed-write", "title", "Seals", "text", "Harbour seals rest on sandbanks at low tide."))
                .post("/api/documents").then().statusCode(201);

        ConsumerRecord<String, String> record = firstRecordOf("sealed-write");
        assertThat(record.value()).contains("Harbour seals rest on sandbanks");
    }

    @Test
    void should_apply_a_change_another_node_published_over_sasl_ssl() throws Exception {
        String text = "Puffins carry several fish crosswise in their beaks.";
        long hlc = HybridLogicalClock.of(System.currentTimeMillis(), 0);
        DocumentChange change = new DocumentChange(ChangeType.UPSERT, "remote-sealed", new Version(hlc, "node-b"),
                "Puffins", null, null, Map.of(), ChangeEventCodec.sha256(text), embedder.modelId(),
                Embedder.SCHEMA_VERSION, List.of(new ChunkRecord("remote-sealed#0", text, null,
                        embedder.embedPassages(List.of("Puffins\n" + text)).get(0))));
        Map<String, Object> producerConfig = clientConfig();
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>("edgerag.changes", "remote-sealed",
                    new ChangeEventCodec().encode(change, "node-b", true))).get(60, TimeUnit.SECONDS);
        }

        await().atMost(CONVERGE).untilAsserted(() ->
                given().get("/api/documents/remote-sealed").then().statusCode(200));
    }

    /** The application's own Kafka settings (bootstrap servers, SASL, trust store), for the test's clients. */
    private Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        for (String name : List.of("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.type", "ssl.truststore.location")) {
            config.put(name, kafka.get(name));
        }
        return config;
    }

    /** The first record of {@code docId} on the change topic, read as another node would. */
    private ConsumerRecord<String, String> firstRecordOf(String docId) {
        return io.edgerag.support.kafka.ChangeTopicRecords.firstOf(docId, clientConfig(), CONVERGE);
    }
}
