package io.edgerag.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.generation.ChatService;
import io.edgerag.generation.OllamaGate;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.edgerag.support.Sse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission control with the test profile's generation lane (2 streams, 2 waiting, 300 ms wait) and
 * {@code on-overload=degrade}; the stand-in is made slow so that a handful of chats fill the lane.
 * (503 + Retry-After with {@code on-overload=reject}: {@link OverloadRejectTest}.)
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class AdmissionControlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    Lanes lanes;

    @Inject
    OllamaGate gate;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/api/chat")
    URL chatUrl;

    private OllamaStandInServer standIn;

    @BeforeEach
    void slowStandIn() {
        standIn = OllamaStandInServer.current();
        gate.reset();
        given().contentType(ContentType.JSON).body(Map.of("id", "owls", "title", "Owls",
                        "text", "Barn owls hunt at night and locate mice by sound alone."))
                .post("/api/documents").then().statusCode(201);
    }

    @AfterEach
    void restoreStandIn() {
        await().atMost(Duration.ofSeconds(20)).until(() -> lanes.generation().inFlight() == 0 && standIn.active() == 0);
        standIn.gpu(0, 0);
        standIn.script(List.of("Edge", "rag", " answers", " from", " local", " passages", " [1]", "."), 15);
    }

    private static List<String> tokens(int n) {
        return IntStream.range(0, n).mapToObj(i -> " t" + i).toList();
    }

    private double counter(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    @Test
    void should_stream_at_most_max_concurrent_and_answer_the_rest_degraded_at_once() throws Exception {
        standIn.script(tokens(30), 50);                           // 1.5 s per answer, 5x the 300 ms wait
        standIn.gpu(0, 0);
        double full = counter("edgerag.admission.refused", "lane", "generation", "reason", "queue_full");
        double degradedBefore = counter("edgerag.admission.degraded", "lane", "generation");
        int requestsBefore = standIn.chatRequests().size();

        List<CompletableFuture<HttpResponse<String>>> chats = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            chats.add(HTTP.sendAsync(chatRequest("How do barn owls find mice?"), HttpResponse.BodyHandlers.ofString()));
        }
        int generated = 0;
        int degraded = 0;
        for (var chat : chats) {
            HttpResponse<String> response = chat.get();
            assertThat(response.statusCode()).isEqualTo(200);
            List<Sse.Event> events = Sse.parse(response.body());
            assertThat(events.get(0).name()).isEqualTo("sources");
            assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
            JsonNode done = JSON.readTree(events.get(events.size() - 1).data());
            if (done.path("degraded").asBoolean()) {
                degraded++;
                assertThat(done.path("reason").asText()).startsWith(ChatService.OVERLOADED);
                assertThat(events.get(1).data()).contains("Barn owls hunt at night");
            } else {
                generated++;
                assertThat(events).filteredOn(e -> e.name().equals("token")).hasSize(30);
            }
        }
        assertThat(standIn.maxActive()).isLessThanOrEqualTo(2);
        assertThat(generated).isBetween(2, 4);                    // 2 at once; a waiter may get a slot freed early
        assertThat(degraded).isEqualTo(7 - generated);
        assertThat(standIn.chatRequests().size() - requestsBefore).isEqualTo(generated);
        // 7 chats, 2 slots + 2 places in the queue: at least 3 refused without waiting
        assertThat(counter("edgerag.admission.refused", "lane", "generation", "reason", "queue_full") - full)
                .isGreaterThanOrEqualTo(3);
        assertThat(counter("edgerag.admission.degraded", "lane", "generation") - degradedBefore).isEqualTo(degraded);
        assertThat(lanes.generation().inFlight()).isZero();
        assertThat(lanes.generation().queued()).isZero();
    }

    @Test
    void should_free_the_slot_and_abort_ollama_when_the_client_disconnects_mid_stream() throws Exception {
        standIn.script(tokens(200), 50);                          // 10 s if nobody stopped it
        standIn.gpu(0, 0);
        double cancelled = counter("edgerag.admission.cancelled", "lane", "generation");

        try (Socket socket = openChat("How do barn owls find mice?")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            waitFor(in, "token");
            assertThat(lanes.generation().inFlight()).isEqualTo(1);
            assertThat(standIn.active()).isEqualTo(1);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(lanes.generation().inFlight()).isZero();
            assertThat(standIn.aborted()).isEqualTo(1);
            assertThat(standIn.active()).isZero();
        });
        assertThat(standIn.completed()).isZero();
        assertThat(counter("edgerag.admission.cancelled", "lane", "generation") - cancelled).isEqualTo(1.0);
    }

    /**
     * A client that stops reading must stop Ollama, not fill the appliance's memory: 50 MB of answer,
     * far more than every socket buffer on the way can hold, stays mostly unread by the appliance while the
     * client does not read (with unbounded buffering the stand-in would finish within the pause).
     */
    @Test
    void should_stop_reading_from_ollama_while_the_client_does_not_read() throws Exception {
        String big = "x".repeat(1000);
        standIn.script(Collections.nCopies(50_000, big), 0);
        standIn.gpu(0, 0);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8192);
            socket.connect(new java.net.InetSocketAddress(chatUrl.getHost(), chatUrl.getPort()));
            send(socket, "How do barn owls find mice?");
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            waitFor(in, "token");
            Thread.sleep(4000);                                  // the client reads nothing for 4 s
            assertThat(standIn.completed()).isZero();
            assertThat(standIn.active()).isEqualTo(1);           // the stand-in is blocked writing
            assertThat(lanes.generation().inFlight()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(lanes.generation().inFlight()).isZero();
            assertThat(standIn.aborted()).isEqualTo(1);
        });
        assertThat(standIn.completed()).isZero();
    }

    @Test
    void should_free_the_slot_at_once_when_the_client_leaves_before_the_first_token() throws Exception {
        standIn.script(tokens(5), 10);
        standIn.gpu(0, 2_000);                                    // a long prompt evaluation
        try (Socket socket = openChat("How do barn owls find mice?")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            waitFor(in, "sources");
            // leave once "Ollama" has the request and is evaluating the prompt
            await().atMost(Duration.ofSeconds(10)).until(() -> standIn.active() == 1);
            assertThat(lanes.generation().inFlight()).isEqualTo(1);
        }
        // the slot comes back while the stand-in is still "evaluating the prompt"
        await().atMost(Duration.ofSeconds(5)).until(() -> lanes.generation().inFlight() == 0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(standIn.aborted()).isEqualTo(1));
        assertThat(standIn.completed()).isZero();
    }

    @Test
    void should_answer_searches_while_a_chat_flood_holds_every_generation_slot() throws Exception {
        standIn.script(tokens(60), 50);                           // 3 s per answer
        standIn.gpu(1, 0);                                        // one GPU stream: the others wait inside "Ollama"
        List<CompletableFuture<HttpResponse<String>>> chats = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 12; i++) {
            chats.add(HTTP.sendAsync(chatRequest("barn owls " + i), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> standIn.active() == 1);

        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(Map.of("query", "How do owls hunt?", "k", 3))
                    .post("/api/search").then().statusCode(200);
        }
        // every search came back while the flood was still being generated
        assertThat(chats.stream().filter(CompletableFuture::isDone).count()).isLessThan(12);
        assertThat(standIn.active()).isEqualTo(1);
        for (var chat : chats) {
            assertThat(chat.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_ask_ollama_to_keep_the_model_loaded_at_start_and_with_every_chat() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> !standIn.loadRequests().isEmpty());
        JsonNode load = standIn.loadRequests().get(0);
        assertThat(load.path("model").asText()).isEqualTo(OllamaStandInServer.MODEL);
        assertThat(load.path("keep_alive").asText()).isEqualTo("30m");

        String body = HTTP.send(chatRequest("How do barn owls find mice?"), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode chat = standIn.chatRequests().get(standIn.chatRequests().size() - 1);
        assertThat(chat.path("keep_alive").asText()).isEqualTo("30m");
        assertThat(chat.path("options").path("num_ctx").asInt()).isEqualTo(4096);
        assertThat(chat.path("options").path("num_predict").asInt()).isEqualTo(512);

        List<Sse.Event> events = Sse.parse(body);
        JsonNode prompt = JSON.readTree(events.get(events.size() - 1).data()).path("prompt");
        assertThat(prompt.path("contextWindow").asInt()).isEqualTo(4096);
        assertThat(prompt.path("estimatedTokens").asInt()).isBetween(50, 4096 - 512);
        assertThat(prompt.path("passages").asInt()).isEqualTo(1);
        assertThat(prompt.path("passagesLeftOut").asInt()).isZero();
    }

    private HttpRequest chatRequest(String question) throws Exception {
        return HttpRequest.newBuilder(chatUrl.toURI()).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("question", question))))
                .build();
    }

    /** A raw connection, so the test decides exactly when the client goes away. */
    private Socket openChat(String question) throws Exception {
        Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort());
        send(socket, question);
        return socket;
    }

    private void send(Socket socket, String question) throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("question", question));
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/chat HTTP/1.1\r\nHost: " + chatUrl.getHost() + "\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void waitFor(BufferedReader in, String event) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.replace(" ", "").equals("event:" + event)) {
                return;
            }
        }
        throw new AssertionError("stream ended before a '" + event + "' event");
    }
}
