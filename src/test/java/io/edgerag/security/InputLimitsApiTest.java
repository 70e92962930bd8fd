package io.edgerag.security;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every limit of {@code edgerag.limits.*} and of document ids is a 400 problem naming the limit. */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class InputLimitsApiTest {

    private static void assertBadRequest(Response r, String... detailParts) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains(detailParts);
    }

    private static Response ingest(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/documents");
    }

    @Test
    void should_refuse_document_ids_that_climb_a_path_or_carry_control_characters_on_ingest() {
        assertBadRequest(ingest(Map.of("id", "../../etc/passwd", "text", "x")), "'..'");
        assertBadRequest(ingest(Map.of("id", "a\\b", "text", "x")), "'\\'");
        assertBadRequest(ingest(Map.of("id", "bell\u0007id", "text", "x")), "control characters");
        assertBadRequest(ingest(Map.of("id", "d".repeat(201), "text", "x")), "limit is 200");
        assertBadRequest(ingest(Map.of("id", "umlaut-ü", "text", "x")), "letters, digits");
    }

    @Test
    void should_refuse_unsafe_ids_on_get_delete_and_changes() {
        assertBadRequest(given().get("/api/documents/a..b"), "'..'");
        assertBadRequest(given().delete("/api/documents/a..b"), "'..'");
        assertBadRequest(given().get("/api/documents/a..b/changes"), "'..'");
        assertBadRequest(given().urlEncodingEnabled(false).get("/api/documents/bell%07id"), "control characters");
        assertBadRequest(given().urlEncodingEnabled(false).delete("/api/documents/nul%00id"), "control characters");
    }

    @Test
    void should_give_an_upload_named_like_a_path_a_safe_id() {
        given().multiPart("file", "../../secret..notes.txt", "Ravens cache food for the winter.".getBytes(StandardCharsets.UTF_8),
                        "text/plain")
                .post("/api/documents").then().statusCode(201);
        assertThat(given().get("/api/documents/secret.notes.txt").statusCode()).isEqualTo(200);
        assertBadRequest(given().multiPart("file", "a.txt", "text".getBytes(StandardCharsets.UTF_8), "text/plain")
                .multiPart("id", "../up").post("/api/documents"), "'..'");
    }

    @Test
    void should_refuse_titles_and_metadata_over_their_limits() {
        assertBadRequest(ingest(Map.of("text", "x", "title", "t".repeat(1001))), "edgerag.limits.title-length");
        Map<String, String> metadata = new HashMap<>();
        IntStream.range(0, 65).forEach(i -> metadata.put("k" + i, "v"));
        assertBadRequest(ingest(Map.of("text", "x", "metadata", metadata)), "edgerag.limits.metadata-entries");
        assertBadRequest(ingest(Map.of("text", "x", "metadata", Map.of("k", "v".repeat(2001)))),
                "edgerag.limits.metadata-value-length");
    }

    @Test
    void should_refuse_long_queries_and_k_out_of_range_on_search() {
        assertBadRequest(given().contentType(ContentType.JSON).body(Map.of("query", "q".repeat(4001)))
                .post("/api/search"), "edgerag.limits.question-length");
        assertBadRequest(given().contentType(ContentType.JSON).body(Map.of("query", "q", "k", 101))
                .post("/api/search"), "k must be between 1 and 100");
        assertBadRequest(given().contentType(ContentType.JSON).body(Map.of("query", "q", "k", 0))
                .post("/api/search"), "k must be between 1 and 100");
    }

    @Test
    void should_refuse_long_questions_and_long_histories_on_both_chat_apis() {
        assertBadRequest(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "q".repeat(4001))).post("/api/chat"), "edgerag.limits.question-length");
        List<Map<String, String>> history = IntStream.range(0, 51)
                .mapToObj(i -> Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "turn " + i)).toList();
        assertBadRequest(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "and?", "history", history)).post("/api/chat"), "edgerag.limits.history-turns");
        assertBadRequest(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "and?", "history", List.of(Map.of("role", "user", "content", "h".repeat(16001)))))
                .post("/api/chat"), "edgerag.limits.history-turn-length");
        // found by ApiFuzzCampaignTest: a turn the model cannot read was an error event after a 200
        assertBadRequest(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "and?", "history", List.of(Map.of("role", "user", "content", "\u0000"))))
                .post("/api/chat"), "history[0] has no text");
        assertBadRequest(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "and?", "history", List.of(Map.of("role", "\r\nX-Injected: 1", "content", "hi"))))
                .post("/api/chat"), "history[0] needs a role");
        assertBadRequest(given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", "q".repeat(4001)))))
                .post("/v1/chat/completions"), "edgerag.limits.question-length");
    }
}
