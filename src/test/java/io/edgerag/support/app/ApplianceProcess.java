package io.edgerag.support.app;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged appliance ({@code target/quarkus-app/quarkus-run.jar}) run as a separate JVM with a
 * port, data directory and settings of its own: what an edge box runs, started, stopped (SIGTERM) and
 * crashed (SIGKILL) by a test. Its output goes to {@code <data-dir>.log}.
 */
public final class ApplianceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Path dataDir;
    private final int port;
    private final Map<String, String> settings = new LinkedHashMap<>();
    /** JVM options before the settings; the default is tuned for quick test start-up (C1 only). */
    private List<String> jvmOptions = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1");
    private Process process;

    public ApplianceProcess(String name, Path dataDir) throws IOException {
        this.name = name;
        this.dataDir = dataDir;
        this.port = freePort();
    }

    /** A {@code -Dkey=value} for the next start. */
    public ApplianceProcess with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Replaces the default JVM options (e.g. production-like JIT and heap for a benchmark). */
    public ApplianceProcess jvmOptions(String... options) {
        jvmOptions = List.of(options);
        return this;
    }

    public synchronized ApplianceProcess start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " already runs");
        }
        Path jar = Path.of(System.getProperty("edgerag.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package`");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dedgerag.data-dir=" + dataDir.toAbsolutePath()));
        // ITs drive bursts from one address; a setting of the IT itself (after this) may turn it back on
        cmd.add("-Dedgerag.security.rate-limit.enabled=false");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        Files.createDirectories(dataDir.getParent());
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        LIVE.add(process);
        awaitReady();
        return this;
    }

    /** Graceful stop (SIGTERM): the appliance closes its store and Kafka clients. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        LIVE.remove(process);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The OS process id of the running node. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " not started");
        }
        return process.pid();
    }

    public String name() {
        return name;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** A RestAssured request against this node. */
    public RequestSpecification http() {
        return RestAssured.given().baseUri(baseUri());
    }

    private void awaitReady() throws InterruptedException, IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.exists(logFile()) ? Files.readAllLines(logFile()) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
