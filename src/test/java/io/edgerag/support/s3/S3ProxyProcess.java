package io.edgerag.support.s3;

import io.edgerag.support.DevserviceClasspath;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server, S3Proxy 2.6 with its in-memory ("transient") backend, run as a separate OS
 * process on 127.0.0.1 from the classpath Maven resolves from
 * {@code devservices/s3proxy/pom.xml}; it checks AWS signatures (v2 and v4) against one access key.
 */
public final class S3ProxyProcess implements AutoCloseable {

    public static final String ACCESS_KEY = "edge-backup";
    public static final String SECRET_KEY = "edge-backup-secret";

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "s3proxy-reaper"));
    }

    private final Path dir;
    private final int port;
    private Process process;

    private S3ProxyProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts one with an empty store under {@code target/s3proxy/}; returns once it accepts connections. */
    public static S3ProxyProcess start() throws IOException, InterruptedException {
        Path work = DevserviceClasspath.projectRoot().resolve("target/s3proxy");
        Files.createDirectories(work);
        S3ProxyProcess s3 = new S3ProxyProcess(Files.createTempDirectory(work, "s3-"), freePort());
        s3.launch(work);
        return s3;
    }

    private void launch(Path work) throws IOException, InterruptedException {
        Path devservices = DevserviceClasspath.projectRoot().resolve("devservices/s3proxy");
        String classpath = DevserviceClasspath.of(devservices.resolve("pom.xml"), work.resolve("classpath.txt"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                // in memory: the filesystem backend lists a directory marker ("store/") for every key prefix
                "jclouds.provider=transient") + "\n");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + devservices.resolve("logback.xml"),
                "-cp", classpath, "org.gaul.s3proxy.Main", "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        LIVE.add(process);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!acceptsConnections()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("S3Proxy did not start on " + endpoint() + "; see " + logFile());
            }
            Thread.sleep(100);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    public Path logFile() {
        return dir.resolve("s3proxy.log");
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        LIVE.remove(process);
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
