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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Ollama on a loopback port, NOT a model: it speaks the parts of Ollama's HTTP API the
 * appliance uses ({@code /api/chat} NDJSON streaming, {@code /api/tags}, {@code /api/show}), answers
 * every chat with the scripted {@link #tokens()}, and records the request bodies it received.
 *
 * <p>{@link #gpu} makes it behave like one GPU: at most {@code parallel} streams generate at once
 * (more wait, as in Ollama with {@code OLLAMA_NUM_PARALLEL}), each starts after a time to first token
 * (headers and first token together, as Ollama sends them). It counts streams running, the most seen at
 * once, and streams the client aborted (noticed at the next write, as Ollama notices a closed connection).
 * A chat without messages is a load request (warm-up): answered at once with {@code done_reason: load}.
 */
public final class OllamaStandInServer {

    public static final String MODEL = "standin-model";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OllamaStandInServer current;

    private final List<JsonNode> chatRequests = new CopyOnWriteArrayList<>();
    private volatile List<String> tokens = List.of("Edge", "rag", " answers", " from", " local", " passages", " [1]", ".");
    private volatile long delayBetweenTokensMs = 15;
    private volatile long firstTokenDelayMs;
    private volatile Semaphore slots;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final List<JsonNode> loadRequests = new CopyOnWriteArrayList<>();
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
        // not Ollama's: the counters, for a load test driving the stand-in from another process
        server.createContext("/stats", ex -> json(ex, JSON.createObjectNode().put("active", active())
                .put("maxActive", maxActive()).put("aborted", aborted()).put("completed", completed()).toString()));
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

    /**
     * Behave like one GPU: {@code parallel} streams at once (0 = unlimited), {@code firstTokenDelayMs}
     * before the first token of each. Resets the counters.
     */
    public void gpu(int parallel, long firstTokenDelayMs) {
        this.slots = parallel <= 0 ? null : new Semaphore(parallel, true);
        this.firstTokenDelayMs = firstTokenDelayMs;
        resetCounters();
    }

    public void resetCounters() {
        maxActive.set(active.get());
        aborted.set(0);
        completed.set(0);
    }

    /** Streams generating now. */
    public int active() {
        return active.get();
    }

    /** Most streams generating at once since the last reset. */
    public int maxActive() {
        return maxActive.get();
    }

    /** Streams whose client went away before the answer was finished, since the last reset. */
    public int aborted() {
        return aborted.get();
    }

    /** Streams answered to the end, since the last reset. */
    public int completed() {
        return completed.get();
    }

    /** Load requests (a chat with no messages: the appliance's warm-up), with their {@code keep_alive}. */
    public List<JsonNode> loadRequests() {
        return loadRequests;
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
        if (request.path("messages").isArray() && request.path("messages").isEmpty()) {
            loadRequests.add(request);
            json(ex, JSON.createObjectNode().put("model", MODEL).put("created_at", "2025-01-01T00:00:00Z")
                    .put("done", true).put("done_reason", "load").set("message", JSON.createObjectNode()
                            .put("role", "assistant").put("content", "")).toString());
            return;
        }
        chatRequests.add(request);
        Semaphore gpu = slots;
        if (gpu != null) {
            gpu.acquireUninterruptibly();
        }
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try (OutputStream out = ex.getResponseBody()) {
            sleep(firstTokenDelayMs);
            ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
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
            completed.incrementAndGet();
        } catch (IOException e) {
            aborted.incrementAndGet();
        } finally {
            active.decrementAndGet();
            if (gpu != null) {
                gpu.release();
            }
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
