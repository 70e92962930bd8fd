package io.edgerag.retrieval;

import io.edgerag.embedding.Embedder;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.pinecone.PineconeStandInResource;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local-first retrieval with the cloud fallback, over real HTTP, with the real Pinecone client talking to
 * {@link PineconeStandInServer} (a loopback stand-in: Pinecone cannot run here). The local store knows
 * about kiwis; only the cloud knows about earthquakes.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(PineconeStandInResource.class)
class CloudFallbackApiTest {

    private static final String COLLECTION = "hybrid";
    private static final String UNSURE_QUERY = "What makes the ground shake during an earthquake?";
    private static final String CONFIDENT_QUERY = "flightless bird native to New Zealand that lays large eggs";
    private static final long BUDGET_MS = 600;

    @Inject
    Embedder embedder;
    @Inject
    CloudVectorStore cloud;
    @Inject
    RetrievalService retrieval;

    private final PineconeStandInServer standIn = PineconeStandInResource.standIn();

    @BeforeEach
    void localKnowsKiwisAndTheCloudKnowsEarthquakes() throws Exception {
        standIn.upAndClean();
        given().contentType(ContentType.JSON).body(Map.of("id", "kiwi", "title", "Kiwi birds", "collection", COLLECTION,
                        "text", "The kiwi is a flightless bird native to New Zealand. It lays very large eggs."))
                .post("/api/documents").then().statusCode(201);
        String quake = "Earthquakes happen when tectonic plates slip along a fault and release stored energy as "
                + "seismic waves that shake the ground.";
        float[] vector = embedder.embedPassages(List.of("Earthquakes\n" + quake)).get(0);
        // a test that stopped and restarted the stand-in leaves the gRPC channel in reconnect back-off for a
        // moment: setting up the cloud's data may take a few tries (what the product does then is tested below)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    cloud.upsert(COLLECTION, List.of(CloudRecord.chunk("quakes#0", "quakes", vector, quake, "h",
                            "Earthquakes", "geology.md", 1764000000000123456L, "cloud-node")
                            .with(io.edgerag.sync.cloud.CloudSink.EMBEDDING_MODEL, embedder.modelId()))).await().atMost(Duration.ofSeconds(10));
                    return true;
                });
        awaitCircuitClosed();
        standIn.resetFaultsAndCounts();
    }

    @Test
    void should_answer_from_the_cloud_with_provenance_when_local_is_not_confident() {
        Response r = search(UNSURE_QUERY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.path("cloudStatus").toString()).isEqualTo("used");
        assertThat(r.path("results[0].tier").toString()).isEqualTo("cloud");
        assertThat(r.path("results[0].docId").toString()).isEqualTo("quakes");
        assertThat(r.path("results[0].chunkId").toString()).isEqualTo("quakes#0");
        assertThat(r.path("results[0].title").toString()).isEqualTo("Earthquakes");
        assertThat(r.path("results[0].source").toString()).isEqualTo("geology.md");
        assertThat(r.path("tier").toString()).isEqualTo("local+cloud");
        List<Float> localScores = r.path("results.findAll { it.tier == 'local' }.score");
        assertThat(localScores).isNotEmpty().allSatisfy(s -> assertThat((double) s).isLessThan(retrieval.threshold()));
        assertThat(standIn.calls("Query")).isEqualTo(1);
    }

    @Test
    void should_not_call_the_cloud_when_local_is_confident() {
        Response r = search(CONFIDENT_QUERY);

        assertThat(r.path("cloudStatus").toString()).isEqualTo("skipped");
        assertThat(r.path("tier").toString()).isEqualTo("local");
        assertThat(r.path("results[0].docId").toString()).isEqualTo("kiwi");
        assertThat(((Float) r.path("results[0].score")).doubleValue()).isGreaterThanOrEqualTo(retrieval.threshold());
        List<String> tiers = r.path("results.tier");
        assertThat(tiers).containsOnly("local");
        assertThat(standIn.calls("Query")).isZero();
    }

    @Test
    void should_answer_locally_within_the_budget_flagged_timeout_when_the_cloud_is_slow() {
        standIn.latency(Duration.ofMillis(3000));
        try {
            long start = System.nanoTime();
            Response r = search(UNSURE_QUERY);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.path("cloudStatus").toString()).isEqualTo("timeout");
            assertThat(r.path("results[0].docId").toString()).isEqualTo("kiwi");
            List<String> tiers = r.path("results.tier");
            assertThat(tiers).isNotEmpty().containsOnly("local");
            // the budget plus embedding and HTTP, far from the 3 s the cloud would have taken
            assertThat(tookMs).isLessThan(BUDGET_MS + 1500);
        } finally {
            standIn.latency(Duration.ZERO);
        }
    }

    @Test
    void should_answer_locally_flagged_when_the_cloud_is_down() {
        standIn.stop();

        Response r = search(UNSURE_QUERY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.path("cloudStatus").toString()).isIn("error", "open");
        assertThat(r.path("results[0].docId").toString()).isEqualTo("kiwi");
        List<String> tiers = r.path("results.tier");
        assertThat(tiers).isNotEmpty().containsOnly("local");
    }

    @Test
    void should_still_answer_a_chat_from_local_passages_when_the_cloud_is_down() {
        standIn.stop();

        long start = System.nanoTime();
        String body = given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", UNSURE_QUERY, "k", 3, "collection", COLLECTION))
                .post("/api/chat").then().statusCode(200).extract().asString();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        List<io.edgerag.support.Sse.Event> events = io.edgerag.support.Sse.parse(body);
        assertThat(events).extracting(io.edgerag.support.Sse.Event::name).contains("sources", "done")
                .doesNotContain("error");
        String sources = events.stream().filter(e -> e.name().equals("sources")).findFirst().orElseThrow().data();
        assertThat(sources).contains("\"kiwi\"").contains("\"local\"").doesNotContain("\"cloud\"");
        assertThat(tookMs).as("the chat waits for the cloud no longer than its budget").isLessThan(BUDGET_MS + 5_000);
    }

    @Test
    void should_open_the_circuit_when_the_cloud_keeps_failing_and_close_it_once_it_is_back() throws Exception {
        standIn.stop();
        String status = "";
        for (int i = 0; i < 10 && !status.equals("open"); i++) {
            status = search(UNSURE_QUERY).path("cloudStatus").toString();
        }
        assertThat(status).isEqualTo("open");
        long start = System.nanoTime();
        Response whileOpen = search(UNSURE_QUERY);
        assertThat(whileOpen.path("cloudStatus").toString()).isEqualTo("open");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(BUDGET_MS);

        standIn.start();
        standIn.resetFaultsAndCounts();
        Thread.sleep(1200); // the breaker's delay in the test profile is 1 s

        Response after = search(UNSURE_QUERY);
        assertThat(after.path("cloudStatus").toString()).isEqualTo("used");
        assertThat(after.path("results[0].docId").toString()).isEqualTo("quakes");
        assertThat(standIn.calls("Query")).isEqualTo(1);
    }

    private static Response search(String query) {
        return given().contentType(ContentType.JSON).body(Map.of("query", query, "k", 3, "collection", COLLECTION))
                .post("/api/search");
    }

    /** A test that opened the circuit leaves it open for the breaker's delay; wait it out. */
    private static void awaitCircuitClosed() throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            if (!"open".equals(search(UNSURE_QUERY).path("cloudStatus").toString())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cloud circuit still open after 6 s");
    }
}
