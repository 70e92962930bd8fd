package io.edgerag.api;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * {@code GET /api/status}, the JSON behind the status page: its numbers move with real traffic (an
 * ingest adds chunks, a search counts a retrieval and a local hit or miss), and the default standalone
 * appliance says so (sync disabled, no warning, no sink). The suite's Pinecone stand-in resource applies to
 * every test, so the cloud tier may be on here: standalone means no sync, not no cloud.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class StatusApiTest {

    @Test
    void should_count_chunks_and_retrievals_after_an_ingest_and_a_search() {
        JsonPath before = status();

        given().contentType(ContentType.JSON).body(Map.of("id", "status-puffin", "title", "Puffins",
                        "text", "Atlantic puffins nest in burrows on cliff tops and dive for sand eels."))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("query", "Where do puffins nest?", "k", 2))
                .post("/api/search").then().statusCode(200);

        JsonPath after = status();
        assertThat(after.getLong("store.chunks")).isEqualTo(before.getLong("store.chunks") + 1);
        // the BM25 index holds every chunk with text, as the vector index does
        assertThat(after.getLong("store.keywordChunks")).isEqualTo(before.getLong("store.keywordChunks") + 1);
        assertThat(after.getLong("ingest.chunks")).isGreaterThanOrEqualTo(before.getLong("ingest.chunks") + 1);
        assertThat(after.getLong("retrieval.requests")).isEqualTo(before.getLong("retrieval.requests") + 1);
        assertThat(after.getDouble("retrieval.localHitRatio")).isBetween(0.0, 1.0);
        assertThat(after.getLong("retrieval.cloud.fallbacks")).isGreaterThanOrEqualTo(before.getLong("retrieval.cloud.fallbacks"));
        if (after.getBoolean("retrieval.cloud.enabled")) { // the suite's Pinecone stand-in: the search asked or skipped it
            assertThat(cloudOutcomes(after)).isEqualTo(cloudOutcomes(before) + 1);
        }
        assertThat(after.getString("store.indexType")).isNotBlank();
        assertThat(after.getInt("store.dimension")).isEqualTo(384);
        assertThat(after.getString("store.embeddingModel")).isEqualTo("bge-small-en-v15-q");
    }

    @Test
    void should_show_a_standalone_node_with_sync_disabled() {
        JsonPath s = status();
        assertThat(s.getString("mode")).isEqualTo("standalone");
        assertThat(s.getString("node")).isNotBlank().isEqualTo(s.getString("sync.nodeId"));
        assertThat(s.getBoolean("sync.enabled")).isFalse();
        assertThat(s.getString("sync.warning")).isNull();
        assertThat(s.getBoolean("sync.relay.running")).isFalse();
        assertThat(s.getLong("sync.outbox.depth")).isZero();
        assertThat(s.getMap("sync.events")).containsKeys("applied", "dead_lettered");
        assertThat(s.getString("retrieval.cloud.circuit")).isIn("CLOSED", "OPEN", "HALF_OPEN");
        assertThat(s.getBoolean("cloudSink.enabled")).isFalse();
        assertThat(s.getString("generation.ollama")).isIn("up", "degraded");
    }

    @Test
    void should_serve_the_status_page_at_slash_status() {
        given().get("/status").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"status.js\"></script>"));
        given().get("/status.js").then().statusCode(200).body(containsString("api/status"));
    }

    private static long cloudOutcomes(JsonPath s) {
        return s.getMap("retrieval.cloud.outcomes", String.class, Long.class).values().stream().mapToLong(Long::longValue).sum();
    }

    private static JsonPath status() {
        return given().accept(ContentType.JSON).get("/api/status").then().statusCode(200).extract().jsonPath();
    }
}
