package io.edgerag.api;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** LangChain4j's OpenAI client, unchanged, against {@code /v1/chat/completions}. */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class OpenAiClientCompatibilityTest {

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeEach
    void setUp() {
        OllamaStandInServer.current().script(List.of("Penguins", " swim", " [1]", "."), 5);
        given().contentType(ContentType.JSON).body(Map.of("id", "penguins", "title", "Penguins",
                "text", "Emperor penguins dive deeper than any other bird.")).post("/api/documents")
                .then().statusCode(201);
    }

    @Test
    void should_answer_openai_chat_model_with_grounded_completion() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(v1.toString()).apiKey("not-needed")
                .modelName("edgerag").build();

        String answer = model.chat("Which bird dives deepest?");

        assertThat(answer).isEqualTo("Penguins swim [1].");
        assertThat(OllamaStandInServer.current().lastPrompt()).contains("Emperor penguins dive deeper than any other bird.");
    }

    @Test
    void should_stream_to_openai_streaming_chat_model() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(v1.toString())
                .apiKey("not-needed").modelName("edgerag").build();
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("Which bird dives deepest?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });

        ChatResponse response = done.get(20, TimeUnit.SECONDS);
        assertThat(partials).containsExactly("Penguins", " swim", " [1]", ".");
        assertThat(response.aiMessage().text()).isEqualTo("Penguins swim [1].");
    }

    @Test
    void should_carry_sources_in_an_extra_field_and_end_stream_with_done_marker() {
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "edgerag", "messages", List.of(Map.of("role", "user", "content", "deep diving bird"))))
                .post("/v1/chat/completions").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("object", equalTo("chat.completion"))
                .body("edgerag_sources[0].docId", equalTo("penguins"))
                .body("edgerag_sources[0].tier", equalTo("local"))
                .body("edgerag_degraded", equalTo(false));

        String sse = given().contentType(ContentType.JSON)
                .body(Map.of("model", "edgerag", "stream", true,
                        "messages", List.of(Map.of("role", "user", "content", "deep diving bird"))))
                .post("/v1/chat/completions").then().statusCode(200)
                .contentType(startsWith("text/event-stream")).extract().asString();
        assertThat(sse).contains("\"object\":\"chat.completion.chunk\"").contains("\"edgerag_sources\"")
                .endsWith("data: [DONE]\n\n");
    }
}
