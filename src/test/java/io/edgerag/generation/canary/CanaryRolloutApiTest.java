package io.edgerag.generation.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.edgerag.support.Sse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A canary chat model through the running appliance and the Ollama stand-in: the share of sessions set
 * live reaches the model Ollama is asked for, a session stays on its arm, feedback counts for the arm
 * that answered (once per answer), and promote / rollback change what everyone gets.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class CanaryRolloutApiTest {

    private static final String CANARY = "canary-model";
    private static final String STABLE = OllamaStandInServer.MODEL;

    @BeforeEach
    void aDocumentToAnswerFrom() {
        OllamaStandInServer.current().script(List.of("Kiwis", " lay", " large", " eggs", " [1]", "."), 0);
        given().contentType(ContentType.JSON).body(Map.of("id", "kiwi-canary", "title", "Kiwi",
                "text", "Kiwi birds lay very large eggs for their size.")).post("/api/documents").then().statusCode(201);
    }

    @AfterEach
    void backToTheStableModel() {
        if (!STABLE.equals(given().get("/api/admin/canary").path("stableModel"))) {
            canary(STABLE, 1.0);
            given().post("/api/admin/canary/promote").then().statusCode(200);
        }
        given().post("/api/admin/canary/rollback").then().statusCode(200);
    }

    @Test
    void should_ask_ollama_for_the_arm_of_the_session_and_keep_the_session_there() {
        canary(CANARY, 0.5);
        String onCanary = session(true);
        String onStable = session(false);

        for (int i = 0; i < 2; i++) {
            assertThat(chat(onCanary).path("arm").asText()).isEqualTo(Arm.CANARY);
            assertThat(lastModelAsked()).isEqualTo(CANARY);
            assertThat(chat(onStable).path("arm").asText()).isEqualTo(Arm.STABLE);
            assertThat(lastModelAsked()).isEqualTo(STABLE);
        }
        // the OpenAI endpoint keeps its 'user' on one arm the same way
        Response completion = given().contentType(ContentType.JSON).body(Map.of("user", onCanary,
                "messages", List.of(Map.of("role", "user", "content", "How large are kiwi eggs?")))).post("/v1/chat/completions");
        assertThat(completion.statusCode()).isEqualTo(200);
        assertThat(lastModelAsked()).isEqualTo(CANARY);
    }

    @Test
    void should_count_feedback_once_for_the_arm_that_answered() {
        canary(CANARY, 1.0);
        JsonNode done = chat("feedback-session");
        String answerId = done.path("answerId").asText();
        assertThat(done.path("arm").asText()).isEqualTo(Arm.CANARY);
        long before = given().get("/api/admin/canary").<Integer>path("arms.canary.feedback_up");

        given().contentType(ContentType.JSON).body(Map.of("answerId", answerId, "vote", "up")).post("/api/feedback")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("answerId", answerId, "vote", "down")).post("/api/feedback")
                .then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("answerId", "ans-never-given", "vote", "up"))
                .post("/api/feedback").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("answerId", answerId, "vote", "sideways"))
                .post("/api/feedback").then().statusCode(400);

        Response state = given().get("/api/admin/canary");
        assertThat(state.<Integer>path("arms.canary.feedback_up")).isEqualTo((int) before + 1);
        assertThat(state.<Integer>path("arms.canary.ok")).isPositive();
        assertThat(given().get("/q/metrics").asString())
                .containsPattern("edgerag_generation_feedback_total\\{arm=\"canary\",vote=\"up\"} [1-9]")
                .contains("edgerag_generation_time_to_first_token_seconds_count{arm=\"canary\"");
    }

    @Test
    void should_give_everyone_the_canary_once_promoted_and_the_stable_model_once_rolled_back() {
        canary(CANARY, 0.01);
        given().post("/api/admin/canary/rollback").then().statusCode(200).body("canaryModel", org.hamcrest.Matchers.nullValue());
        chat(session(true));
        assertThat(lastModelAsked()).as("rolled back: even a canary session gets stable").isEqualTo(STABLE);

        canary(CANARY, 0.01);
        given().post("/api/admin/canary/promote").then().statusCode(200);
        JsonNode done = chat(session(false));
        assertThat(lastModelAsked()).isEqualTo(CANARY);
        assertThat(done.path("arm").asText()).isEqualTo(Arm.STABLE);
        assertThat(done.path("model").asText()).isEqualTo(CANARY);
    }

    @Test
    void should_refuse_a_bad_canary_setting_with_a_problem() {
        given().contentType(ContentType.JSON).body(Map.of("model", CANARY, "share", 2)).put("/api/admin/canary")
                .then().statusCode(400).contentType("application/problem+json");
        given().post("/api/admin/canary/promote").then().statusCode(400);
    }

    private static void canary(String model, double share) {
        given().contentType(ContentType.JSON).body(Map.of("model", model, "share", share)).put("/api/admin/canary")
                .then().statusCode(200);
    }

    /** A session key whose bucket puts it on the canary (or not) at a share of 0.5; 0.01 for "true" below 1 %. */
    private static String session(boolean canary) {
        return IntStream.range(0, 10_000).mapToObj(i -> "session-" + i)
                .filter(k -> canary ? ModelRollout.bucket(k) < 0.01 : ModelRollout.bucket(k) >= 0.5)
                .findFirst().orElseThrow();
    }

    private static JsonNode chat(String session) {
        String body = given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "How large are kiwi eggs?", "session", session))
                .post("/api/chat").then().statusCode(200).extract().asString();
        String done = Sse.parse(body).stream().filter(e -> e.name().equals("done")).findFirst().orElseThrow().data();
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(done);
        } catch (java.io.IOException e) {
            throw new AssertionError(done, e);
        }
    }

    private static String lastModelAsked() {
        List<JsonNode> asked = OllamaStandInServer.current().chatRequests();
        return asked.get(asked.size() - 1).path("model").asText();
    }
}
