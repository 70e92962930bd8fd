package io.edgerag.security;

import io.edgerag.common.Sha256;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * With API keys configured every API call needs a key with the right role; health stays open.
 * Assertions are RestAssured's {@code then()} matchers: status, problem media type, detail text.
 */
@QuarkusTest
@TestProfile(ApiKeyAccessTest.WithKeys.class)
@QuarkusTestResource(OllamaStandInResource.class)
class ApiKeyAccessTest {

    static final String READER = "reader-key-123";
    static final String WRITER = "writer-key-456";

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "edgerag.access.api-keys.dashboards.sha256", Sha256.hex(READER),
                    "edgerag.access.api-keys.dashboards.roles", "reader",
                    "edgerag.access.api-keys.ingest-bot.sha256", Sha256.hex(WRITER),
                    "edgerag.access.api-keys.ingest-bot.roles", "reader,writer");
        }
    }

    @Test
    void should_refuse_a_call_without_a_key_with_a_problem_that_says_how_to_send_one() {
        given().contentType(ContentType.JSON).body(Map.of("query", "anything"))
                .post("/api/search")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", containsString("Authorization: Bearer"));
        given().get("/v1/models").then().statusCode(401);
    }

    @Test
    void should_refuse_an_unknown_key() {
        given().header("Authorization", "Bearer not-a-key").contentType(ContentType.JSON).body(Map.of("query", "x"))
                .post("/api/search").then().statusCode(401).body("detail", equalTo("The API key is not valid"));
    }

    @Test
    void should_let_a_reader_search_but_not_write() {
        given().header("X-API-Key", READER).contentType(ContentType.JSON).body(Map.of("query", "anything"))
                .post("/api/search").then().statusCode(200);
        given().header("X-API-Key", READER).contentType(ContentType.JSON).body(Map.of("id", "nope", "text", "Not allowed."))
                .post("/api/documents")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("'writer'"));
        given().header("Authorization", "Bearer " + READER).get("/api/documents/nope").then().statusCode(404);
    }

    @Test
    void should_let_a_writer_ingest_and_delete() {
        given().header("Authorization", "Bearer " + WRITER).contentType(ContentType.JSON)
                .body(Map.of("id", "allowed", "text", "Writers may ingest documents."))
                .post("/api/documents").then().statusCode(201);
        given().header("Authorization", "Bearer " + WRITER).delete("/api/documents/allowed").then().statusCode(204);
    }

    @Test
    void should_keep_health_open_and_operations_for_admins_only() {
        given().get("/q/health/ready").then().statusCode(200);
        given().header("X-API-Key", WRITER).get("/q/metrics").then().statusCode(403);
        given().header("X-API-Key", WRITER).post("/api/admin/cloud/reconcile").then().statusCode(403);
    }
}
