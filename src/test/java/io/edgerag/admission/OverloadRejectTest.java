package io.edgerag.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code on-overload=reject}: a chat the generation lane cannot take gets 503 + Retry-After, problem+json. */
@QuarkusTest
@TestProfile(OverloadRejectTest.Reject.class)
@QuarkusTestResource(OllamaStandInResource.class)
class OverloadRejectTest {

    public static class Reject implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgerag.admission.generation.on-overload", "reject",
                    "edgerag.admission.generation.max-concurrent", "1",
                    "edgerag.admission.generation.max-queued", "0",
                    "edgerag.admission.generation.retry-after", "3s");
        }
    }

    @Inject
    Lanes lanes;

    @TestHTTPResource("/api/chat")
    URL chatUrl;

    @Test
    void should_answer_503_with_retry_after_on_every_chat_route_while_the_only_slot_is_taken() throws Exception {
        OllamaStandInServer standIn = OllamaStandInServer.current();
        standIn.script(IntStream.range(0, 60).mapToObj(i -> " t" + i).toList(), 50);   // 3 s
        given().contentType(ContentType.JSON).body(Map.of("id", "owls", "text", "Barn owls hunt at night."))
                .post("/api/documents").then().statusCode(201);

        CompletableFuture<HttpResponse<String>> first = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(chatUrl.toURI()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"owls\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> standIn.active() == 1);

        assertOverloaded(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "owls")).post("/api/chat"));
        for (boolean stream : List.of(true, false)) {
            assertOverloaded(given().contentType(ContentType.JSON).body(Map.of("stream", stream,
                    "messages", List.of(Map.of("role", "user", "content", "owls")))).post("/v1/chat/completions"));
        }
        // bad input stays a 400, even when no slot is free
        given().contentType(ContentType.JSON).body(Map.of("question", " ")).post("/api/chat").then().statusCode(400);

        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(first.get().body()).contains("event:done").contains("\"degraded\":false");
        await().atMost(Duration.ofSeconds(5)).until(() -> lanes.generation().inFlight() == 0);
        given().contentType(ContentType.JSON).accept("text/event-stream").body(Map.of("question", "owls"))
                .post("/api/chat").then().statusCode(200);
    }

    private static void assertOverloaded(Response response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Retry-After")).isEqualTo("3");
        var problem = new ObjectMapper().readTree(response.asString());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asText()).contains("generation").contains("Retry after 3 s");
    }
}
