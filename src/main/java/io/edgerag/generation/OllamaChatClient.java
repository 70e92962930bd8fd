package io.edgerag.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.edgerag.admission.AdmissionConfig;
import io.edgerag.config.EdgeragConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ollama's {@code POST /api/chat} as a {@link Multi} of NDJSON chunks, with demand and cancellation
 * carried to the socket: the response is read only as fast as the subscriber requests (a slow SSE client
 * slows the read, TCP slows Ollama; nothing piles up in between), and cancelling the subscription resets
 * the HTTP request at once — also before the first token, while Ollama is still reading the prompt — so
 * Ollama stops generating and the slot is free.
 *
 * <p>Why not LangChain4j's {@code OllamaStreamingChatModel} (still the message model here): its callback
 * API pushes tokens with no demand, and can be cancelled only from inside a callback, i.e. not before the
 * first token arrives.
 */
@ApplicationScoped
public class OllamaChatClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of Ollama's stream. {@code done} is the last; the counts come with it. */
    public record Chunk(String content, boolean done, Integer promptEvalCount, Integer evalCount) {
    }

    /** Ollama answered with an error status. */
    public static final class OllamaException extends IOException {
        OllamaException(String message) {
            super(message);
        }
    }

    private final HttpClient client;
    private final String baseUrl;
    private final String model;
    private final String keepAlive;
    private final long idleTimeoutMs;
    private final long connectTimeoutMs;

    public OllamaChatClient(Vertx vertx, EdgeragConfig config, AdmissionConfig admission) {
        this.baseUrl = config.ollama().baseUrl().replaceAll("/+$", "");
        this.model = config.ollama().model();
        this.keepAlive = config.ollama().keepAlive();
        this.idleTimeoutMs = config.ollama().readTimeout().toMillis();
        this.connectTimeoutMs = config.ollama().connectTimeout().toMillis();
        // a pool larger than the generation lane, so the pool is never a hidden queue of its own
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(admission.generation().maxConcurrent() + 4));
    }

    public String model() {
        return model;
    }

    /** Streams the answer to {@code messages}; lazy: nothing is sent before subscription. */
    public Multi<Chunk> chat(List<ChatMessage> messages, int numCtx, int numPredict) {
        return chat(model, messages, numCtx, numPredict);
    }

    /** As {@link #chat(List, int, int)} with another of Ollama's models (a canary). */
    public Multi<Chunk> chat(String model, List<ChatMessage> messages, int numCtx, int numPredict) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", true).put("keep_alive", keepAlive);
        ArrayNode array = body.putArray("messages");
        for (ChatMessage m : messages) {
            array.addObject().put("role", role(m)).put("content", text(m));
        }
        body.putObject("options").put("num_ctx", numCtx).put("num_predict", numPredict);
        return Multi.createFrom().deferred(() -> post(body.toString()));
    }

    /**
     * Asks Ollama to load the chat model and keep it loaded for {@code keep-alive} (a chat with no
     * messages), so the first user does not wait for the model to load.
     */
    public Uni<Void> warmUp() {
        String body = JSON.createObjectNode().put("model", model).put("keep_alive", keepAlive).put("stream", false)
                .set("messages", JSON.createArrayNode()).toString();
        return client.request(options())
                .flatMap(req -> req.send(Buffer.buffer(body)))
                .flatMap(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("Ollama answered " + resp.statusCode() + ": " + b);
                    }
                    return null;
                }));
    }

    private RequestOptions options() {
        return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(baseUrl + "/api/chat")
                .setConnectTimeout(connectTimeoutMs).setIdleTimeout(idleTimeoutMs)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/x-ndjson");
    }

    private Multi<Chunk> post(String body) {
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        return client.request(options())
                .invoke(req -> {
                    request.set(req);
                    if (cancelled.get()) {
                        abort(req);
                    }
                })
                .flatMap(req -> req.send(Buffer.buffer(body)))
                .onItem().transformToMulti(resp -> {
                    resp.pause();
                    if (resp.statusCode() != 200) {
                        return resp.body().onItem().transformToMulti(b -> Multi.createFrom().failure(
                                new OllamaException("Ollama answered " + resp.statusCode() + ": " + b)));
                    }
                    NdjsonLines lines = new NdjsonLines();
                    return resp.toMulti()
                            .onItem().transformToIterable(lines::complete)
                            .onCompletion().continueWith(lines::rest);
                })
                .filter(line -> line.length() > 0)
                .map(OllamaChatClient::parse)
                .onCancellation().invoke(() -> {
                    cancelled.set(true);
                    HttpClientRequest req = request.get();
                    if (req != null) {
                        abort(req);
                    }
                });
    }

    /**
     * Resets the request and closes its connection: on HTTP/1.1 a reset alone leaves a request whose
     * response has not begun waiting on the connection, and Ollama would generate the whole answer
     * for nobody; a closed connection is what makes Ollama stop.
     */
    private static void abort(HttpClientRequest req) {
        req.reset();
        if (req.connection() != null) {
            req.connection().closeAndForget();
        }
    }

    static Chunk parse(Buffer line) {
        JsonNode node;
        try {
            node = JSON.readTree(line.getBytes());
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable line from Ollama: " + line, e);
        }
        if (node.hasNonNull("error")) {
            throw new IllegalStateException("Ollama: " + node.get("error").asText());
        }
        return new Chunk(node.path("message").path("content").asText(""), node.path("done").asBoolean(false),
                node.hasNonNull("prompt_eval_count") ? node.get("prompt_eval_count").asInt() : null,
                node.hasNonNull("eval_count") ? node.get("eval_count").asInt() : null);
    }

    private static String role(ChatMessage m) {
        if (m instanceof SystemMessage) {
            return "system";
        }
        return m instanceof AiMessage ? "assistant" : "user";
    }

    private static String text(ChatMessage m) {
        if (m instanceof SystemMessage s) {
            return s.text();
        }
        if (m instanceof AiMessage a) {
            return a.text() == null ? "" : a.text();
        }
        return ((UserMessage) m).singleText();
    }
}
