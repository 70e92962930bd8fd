package io.edgerag.api;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Health, OpenAPI, /v1/models and the page over real HTTP; RestAssured's status and body matchers assert. */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class HealthAndOpenApiTest {

    @Test
    void should_be_ready_with_store_loaded_and_ollama_not_degraded() {
        // each readiness call probes the Ollama stand-in once with a short timeout: on a loaded machine one
        // probe can be late, so the stand-in (which is up) must be reported reachable within a few probes
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofSeconds(1))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItem("local-store"))
                        .body("checks.find { it.name == 'ollama' }.data.degraded", equalTo(false)));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void should_describe_the_api_in_openapi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/documents")).body(containsString("/api/search"))
                .body(containsString("/api/chat"));
    }

    @Test
    void should_list_the_chat_model_openai_style() {
        given().get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
                .body("data[0].id", equalTo("standin-model")).body("data[0].object", equalTo("model"));
    }

    @Test
    void should_serve_the_chat_page_at_root() {
        given().get("/").then().statusCode(200).body(containsString("<script src=\"chat.js\">"));
    }
}
