package io.edgerag.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for Ollama on a loopback port, NOT a model: it speaks the parts of Ollama's HTTP API the
 * appliance uses ({@code /api/chat} NDJSON streaming, {@code /api/tags}, {@code /api/show}), answers
 * every chat with the scripted {@link #tokens()}, and records the request bodies it received.
 */
public final class OllamaStandInServer {

    public static final String MODEL = "standin-model";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OllamaStandInServer current;

    private final List<JsonNode> chatRequests = new CopyOnWriteArrayList<>();
    private volatile List<String> tokens = List.of("Edge", "rag", " answers", " from", " local", " passages", " [1]", ".");
    private volatile long delayBetweenTokensMs = 15;
    private int port;
    private HttpServer server;

    /** On an ephemeral loopback port. */
    public OllamaStandInServer() {
        this(0);
    }

    /** On the given loopback port (0 = ephemeral), for a stand-in started outside the test suite. */
    public OllamaStandInServer(int port) {
        this.port = port;
    }

    public static OllamaStandInServer current() {
        return current;
    }

    public synchronized void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int attempt = 0; ; attempt++) {
            try {
                server = HttpServer.create(address, 0);
                break;
            } catch (BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                sleep(100);
            }
        }
        server.createContext("/api/chat", this::chat);
        server.createContext("/api/tags", ex -> json(ex, "{\"models\":[{\"name\":\"" + MODEL + "\",\"model\":\""
                + MODEL + "\",\"size\":1,\"digest\":\"standin\",\"details\":{\"family\":\"standin\"}}]}"));
        server.createContext("/api/show", ex -> json(ex, "{\"modelfile\":\"\",\"parameters\":\"\",\"template\":\"\","
                + "\"details\":{\"family\":\"standin\",\"parameter_size\":\"0B\"},\"model_info\":{},\"capabilities\":[\"completion\"]}"));
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        port = server.getAddress().getPort();
        current = this;
    }

    /** Stops listening: connections to the port are refused, like an Ollama that is not running. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public List<String> tokens() {
        return tokens;
    }

    public void script(List<String> tokens, long delayBetweenTokensMs) {
        this.tokens = List.copyOf(tokens);
        this.delayBetweenTokensMs = delayBetweenTokensMs;
    }

    public List<JsonNode> chatRequests() {
        return chatRequests;
    }

    /** Concatenated contents of every message of the last chat request received. */
    public String lastPrompt() {
        JsonNode last = chatRequests.get(chatRequests.size() - 1);
        StringBuilder sb = new StringBuilder();
        last.path("messages").forEach(m -> sb.append(m.path("role").asText()).append(": ")
                .append(m.path("content").asText()).append('\n'));
        return sb.toString();
    }

    private void chat(HttpExchange ex) throws IOException {
        JsonNode request = JSON.readTree(ex.getRequestBody().readAllBytes());
        chatRequests.add(request);
        ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String token : tokens) {
                line(out, JSON.createObjectNode().put("model", MODEL).put("created_at", "2025-01-01T00:00:00Z")
                        .put("done", false).set("message", JSON.createObjectNode().put("role", "assistant")
                                .put("content", token)).toString());
                sleep(delayBetweenTokensMs);
            }
            line(out, JSON.createObjectNode().put("model", MODEL).put("created_at", "2025-01-01T00:00:00Z")
                    .put("done", true).put("done_reason", "stop").put("prompt_eval_count", 42)
                    .put("eval_count", tokens.size()).set("message", JSON.createObjectNode()
                            .put("role", "assistant").put("content", "")).toString());
        }
    }

    private static void line(OutputStream out, String json) throws IOException {
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
