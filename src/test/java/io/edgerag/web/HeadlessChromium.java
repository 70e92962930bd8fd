package io.edgerag.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives headless Chromium over the DevTools protocol with the JDK's own WebSocket client: open a
 * page, evaluate JavaScript in it. Enough for a page test, no WebDriver needed.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /**
     * The chromium binary; a page test without one is skipped outside CI and fails in CI (env {@code CI} set),
     * where {@code .ci/run} installs it.
     */
    static String requireOrSkip() {
        String chromium = find();
        if (chromium == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("CI is set but no chromium binary was found: apt-get install -y chromium");
            }
            org.junit.jupiter.api.Assumptions.abort(
                    "chromium is not installed (apt-get install -y chromium); skipping the page test outside CI");
        }
        return chromium;
    }

    static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return null;
    }

    HeadlessChromium(String binary, String url) throws Exception {
        process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--remote-allow-origins=*", "--remote-debugging-port=0",
                "--user-data-dir=" + Files.createTempDirectory("edgerag-chromium"), url)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int port = devToolsPort();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        String wsUrl = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                wsUrl = t.path("webSocketDebuggerUrl").asText();
            }
        }
        if (wsUrl == null) {
            throw new IllegalStateException("No page target in " + targets);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).get(10, TimeUnit.SECONDS);
    }

    private int devToolsPort() throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            } catch (Exception ignored) {
                // fall through
            }
            throw new IllegalStateException("Chromium printed no DevTools address");
        });
        int p = port.get(30, TimeUnit.SECONDS);
        // keep draining stderr so Chromium never blocks on a full pipe
        CompletableFuture.runAsync(() -> {
            try {
                while (err.readLine() != null) {
                    // discard
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        return p;
    }

    /** Evaluates an expression in the page and returns its value (by value, JSON). */
    JsonNode evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        String message = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate")
                .set("params", JSON.createObjectNode().put("expression", expression).put("returnByValue", true))
                .toString();
        socket.sendText(message, true).get(5, TimeUnit.SECONDS);
        return result.get(10, TimeUnit.SECONDS).path("result").path("result").path("value");
    }

    /** Polls {@code condition} until it evaluates to true or the timeout passes. */
    boolean waitFor(String condition, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (evaluate(condition).asBoolean(false)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(buffer.toString());
                    CompletableFuture<JsonNode> f = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(message);
                    }
                } catch (Exception ignored) {
                    // not a JSON reply we wait for
                }
                buffer.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
