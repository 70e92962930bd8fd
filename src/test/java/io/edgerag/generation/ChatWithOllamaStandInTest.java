package io.edgerag.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.edgerag.support.Sse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class ChatWithOllamaStandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OllamaGate gate;

    @TestHTTPResource("/api/chat")
    URL chatUrl;

    private OllamaStandInServer standIn;

    @BeforeEach
    void ingestPassages() {
        standIn = OllamaStandInServer.current();
        standIn.script(List.of("Edge", "rag", " answers", " from", " local", " passages", " [1]", "."), 15);
        given().contentType(ContentType.JSON).body(Map.of("id", "owls", "title", "Owls",
                        "text", "Barn owls hunt at night and locate mice by sound alone."))
                .post("/api/documents").then().statusCode(201);
    }

    @AfterEach
    void restoreStandIn() throws Exception {
        if (!standIn.running()) {
            standIn.start();
        }
        gate.reset();
    }

    @Test
    void should_put_retrieved_passages_numbered_into_the_prompt() {
        int before = standIn.chatRequests().size();
        chat("How do barn owls find mice?");

        assertThat(standIn.chatRequests()).hasSize(before + 1);
        String prompt = standIn.lastPrompt();
        assertThat(prompt).contains("<passage n=\"1\" title=\"Owls\">\nBarn owls hunt at night and locate mice by sound alone.\n</passage>")
                .contains("Question: How do barn owls find mice?")
                .contains("cite the passage");
        assertThat(standIn.chatRequests().get(before).path("model").asText()).isEqualTo(OllamaStandInServer.MODEL);
        assertThat(standIn.chatRequests().get(before).path("stream").asBoolean()).isTrue();
    }

    @Test
    void should_stream_sources_then_tokens_in_order_then_done() throws Exception {
        List<Sse.Event> events = chat("How do barn owls find mice?");

        assertThat(events.get(0).name()).isEqualTo("sources");
        JsonNode sources = JSON.readTree(events.get(0).data());
        assertThat(sources.get(0).path("docId").asText()).isEqualTo("owls");
        assertThat(sources.get(0).path("chunkId").asText()).isEqualTo("owls#0");
        assertThat(sources.get(0).path("tier").asText()).isEqualTo("local");
        assertThat(sources.get(0).path("score").asDouble()).isGreaterThan(0.3);

        List<String> tokens = new ArrayList<>();
        for (Sse.Event e : events.subList(1, events.size() - 1)) {
            assertThat(e.name()).isEqualTo("token");
            tokens.add(JSON.readTree(e.data()).path("text").asText());
        }
        assertThat(tokens).containsExactlyElementsOf(standIn.tokens());

        Sse.Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        JsonNode d = JSON.readTree(done.data());
        assertThat(d.path("degraded").asBoolean()).isFalse();
        assertThat(d.path("model").asText()).isEqualTo(OllamaStandInServer.MODEL);
        assertThat(d.path("promptTokens").asInt()).isEqualTo(42);
        assertThat(d.path("completionTokens").asInt()).isEqualTo(standIn.tokens().size());
        assertThat(d.path("firstTokenMs").isNumber()).isTrue();
    }

    @Test
    void should_deliver_each_token_to_the_client_before_the_answer_is_finished() throws Exception {
        standIn.script(List.of("one", " two", " three", " four"), 400);
        HttpRequest request = HttpRequest.newBuilder(chatUrl.toURI()).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"barn owls\"}")).build();
        List<Long> tokenArrivals = new ArrayList<>();
        long[] doneArrival = new long[1];
        long start = System.nanoTime();
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> {
            if (line.equals("event:token") || line.equals("event: token")) {
                tokenArrivals.add((System.nanoTime() - start) / 1_000_000);
            } else if (line.startsWith("event:") && line.contains("done")) {
                doneArrival[0] = (System.nanoTime() - start) / 1_000_000;
            }
        });
        assertThat(tokenArrivals).hasSize(4);
        // the stand-in waits 400 ms after each token: a buffering server would deliver all at the end
        assertThat(doneArrival[0] - tokenArrivals.get(0)).isGreaterThan(1000);
        assertThat(tokenArrivals.get(1) - tokenArrivals.get(0)).isGreaterThan(250);
    }

    @Test
    void should_answer_extractively_and_quickly_when_ollama_is_down() throws Exception {
        standIn.stop();
        long start = System.nanoTime();
        List<Sse.Event> events = chat("How do barn owls find mice?");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).isLessThan(2500);
        assertThat(events.get(0).name()).isEqualTo("sources");
        String answer = events.stream().filter(e -> e.name().equals("token"))
                .map(e -> read(e.data()).path("text").asText())
                .collect(Collectors.joining());
        assertThat(answer).contains("Barn owls hunt at night and locate mice by sound alone. [1]");
        JsonNode done = read(events.get(events.size() - 1).data());
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        assertThat(done.path("degraded").asBoolean()).isTrue();
        assertThat(done.path("reason").asText()).contains("Ollama");
    }

    @Test
    void should_open_the_circuit_and_report_degraded_health_when_ollama_is_down() {
        standIn.stop();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'ollama' }.data.degraded", org.hamcrest.Matchers.equalTo(true));
        assertThat(gate.state()).isEqualTo(OllamaGate.State.OPEN);

        int before = standIn.chatRequests().size();
        List<Sse.Event> events = chat("barn owls");
        assertThat(read(events.get(events.size() - 1).data()).path("reason").asText()).contains("circuit open");
        assertThat(standIn.chatRequests()).hasSize(before);
    }

    private static List<Sse.Event> chat(String question) {
        String body = given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", question, "k", 3))
                .post("/api/chat").then().statusCode(200).extract().asString();
        return Sse.parse(body);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
