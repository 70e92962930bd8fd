package io.edgerag.api;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Every error class of the HTTP contract comes back as RFC 7807 problem+json, never a stack trace;
 * RestAssured's status, content-type and body matchers assert it.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class ErrorProblemsApiTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void should_answer_400_problem_for_malformed_json() {
        given().contentType(ContentType.JSON).body("{\"text\": \"unterminated")
                .post("/api/documents")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400))
                .body("title", equalTo("Bad Request")).body("detail", containsString("Malformed JSON"))
                .body(not(containsString("at io.")));
    }

    @Test
    void should_answer_400_problem_for_empty_document_text() {
        given().contentType(ContentType.JSON).body(Map.of("id", "empty", "text", "   "))
                .post("/api/documents")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("text is empty"));
        given().get("/api/documents/empty").then().statusCode(404);
    }

    @Test
    void should_answer_400_problem_for_empty_question() {
        given().contentType(ContentType.JSON).accept("text/event-stream").body(Map.of("question", ""))
                .post("/api/chat")
                .then().statusCode(400).contentType(PROBLEM).body("detail", equalTo("Question is empty"));
    }

    @Test
    void should_answer_400_problem_for_empty_search_query() {
        given().contentType(ContentType.JSON).body(Map.of("query", " "))
                .post("/api/search")
                .then().statusCode(400).contentType(PROBLEM).body("detail", equalTo("Query is empty"));
    }

    @Test
    void should_answer_400_problem_for_k_out_of_range() {
        given().contentType(ContentType.JSON).body(Map.of("query", "anything", "k", 0))
                .post("/api/search").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("k must be between 1 and 100"));
        given().contentType(ContentType.JSON).body(Map.of("query", "anything", "k", 101))
                .post("/api/search").then().statusCode(400).contentType(PROBLEM);
        given().contentType(ContentType.JSON).accept("text/event-stream").body(Map.of("question", "anything", "k", 1000))
                .post("/api/chat").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void should_answer_413_problem_for_body_over_the_limit() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        given().contentType(ContentType.TEXT).body(big)
                .post("/api/documents")
                .then().statusCode(413).contentType(PROBLEM).body("status", equalTo(413));
    }

    @Test
    void should_answer_415_problem_for_unsupported_content_type() {
        given().contentType("application/xml").body("<doc/>")
                .post("/api/documents")
                .then().statusCode(415).contentType(PROBLEM).body("status", equalTo(415));
    }

    @Test
    void should_answer_415_problem_for_unsupported_upload_type() {
        given().multiPart("file", "tool.exe", "MZ".getBytes(StandardCharsets.UTF_8), "application/octet-stream")
                .post("/api/documents")
                .then().statusCode(415).contentType(PROBLEM).body("detail", containsString("tool.exe"));
    }

    @Test
    void should_answer_404_problem_for_unknown_document() {
        given().get("/api/documents/no-such-doc").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("no-such-doc"));
        given().delete("/api/documents/no-such-doc").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void should_answer_400_problem_for_completion_without_user_message() {
        given().contentType(ContentType.JSON).body(Map.of("model", "x", "messages", java.util.List.of()))
                .post("/v1/chat/completions").then().statusCode(400).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body("{not json")
                .post("/v1/chat/completions").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("Malformed JSON"));
    }
}
