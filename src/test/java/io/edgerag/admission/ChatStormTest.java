package io.edgerag.admission;

import io.edgerag.bench.LoadStorm;
import io.edgerag.generation.OllamaGate;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The short, bounded version of {@code bench/load.sh}: 16 chat users for 4 s against the test profile's
 * generation lane (2 streams, 2 waiting) and a stand-in like a small GPU (2 streams, 40 tokens/s, 150 ms
 * to the first token), with searches and an ingest client beside them and some chats abandoned mid-stream.
 * Every client must get a well-formed answer or rejection, nothing may answer 5xx, and afterwards no
 * generation slot and no stand-in stream may be left.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class ChatStormTest {

    @Inject
    Lanes lanes;

    @Inject
    OllamaGate gate;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL app;

    @AfterEach
    void restoreStandIn() {
        OllamaStandInServer standIn = OllamaStandInServer.current();
        standIn.gpu(0, 0);
        standIn.script(List.of("Edge", "rag", " answers", " from", " local", " passages", " [1]", "."), 15);
    }

    @Test
    void should_answer_every_client_well_and_leave_no_slot_taken_after_a_storm() throws Exception {
        gate.reset();
        OllamaStandInServer standIn = OllamaStandInServer.current();
        standIn.script(IntStream.range(0, 24).mapToObj(i -> " t" + i).toList(), 25);
        standIn.gpu(2, 150);
        for (String topic : List.of("Ollama", "index", "sync")) {
            given().contentType(ContentType.JSON).body(Map.of("id", "storm-" + topic, "title", topic,
                            "text", "edgerag answers questions about " + topic + " from local passages when Ollama is down."))
                    .post("/api/documents").then().statusCode(201);
        }
        double cancelledBefore = registry.find("edgerag.admission.cancelled").tag("lane", "generation").counter().count();

        LoadStorm.Level storm = LoadStorm.storm(app.toURI(), 4, 1, 16, true, 200);

        assertThat(storm.malformedWhy()).isEmpty();
        assertThat(storm.malformed()).isZero();
        assertThat(storm.serverErrors()).isZero();
        assertThat(storm.completed()).isPositive();
        assertThat(storm.degradedByLoad()).isPositive();                 // 16 users, 2 streams: many must degrade
        assertThat(storm.rejected()).isZero();                           // on-overload=degrade in this profile
        assertThat(storm.searchesAnswered()).isPositive();
        assertThat(standIn.maxActive()).isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(lanes.generation().inFlight()).isZero();
            assertThat(lanes.generation().queued()).isZero();
            assertThat(lanes.extractive().inFlight()).isZero();
            assertThat(standIn.active()).isZero();
        });
        if (storm.abandoned() > 0) {
            // generated answers abandoned mid-stream: their slots were given back as cancelled
            assertThat(registry.find("edgerag.admission.cancelled").tag("lane", "generation").counter().count()
                    - cancelledBefore).isPositive();
        }
    }
}
