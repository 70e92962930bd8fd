package io.edgerag.support.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one node) run as a separate OS process on 127.0.0.1.
 * It runs from the classpath resolved from {@code devservices/kafka/pom.xml}, never from the test classpath, so the
 * Kafka server and Scala stay out of the Quarkus tests. Ports picked at the first {@link #start()} are kept,
 * so {@link #restart()} brings the same broker back on the same address with the same data.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    public static final int DEFAULT_PARTITIONS = 3;

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 40;

    /** Brokers of this JVM that are still running; killed by a shutdown hook so an aborted test run leaves none. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(
                new Thread(() -> LIVE.forEach(KafkaBrokerProcess::killTree), "kafka-broker-reaper"));
    }

    private final KafkaBrokerFiles files = KafkaBrokerFiles.ofProject();
    private final Path dataDir;
    private final int numPartitions;
    private SaslSslListener saslSsl;
    private int brokerPort;
    private int controllerPort;
    private Process process;

    /** A broker on free ports with {@value #DEFAULT_PARTITIONS} partitions per auto-created topic. */
    public KafkaBrokerProcess(Path dataDir) {
        this(dataDir, 0, 0, DEFAULT_PARTITIONS);
    }

    /** @param brokerPort, controllerPort 0 picks a free port at the first start */
    public KafkaBrokerProcess(Path dataDir, int brokerPort, int controllerPort, int numPartitions) {
        this.dataDir = dataDir.toAbsolutePath();
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.numPartitions = numPartitions;
    }

    /** A broker on free ports with a new data dir under {@code target/kafka-broker/}. */
    public static KafkaBrokerProcess inNewDataDir() throws IOException {
        return inNewDataDir(DEFAULT_PARTITIONS);
    }

    public static KafkaBrokerProcess inNewDataDir(int numPartitions) throws IOException {
        KafkaBrokerFiles files = KafkaBrokerFiles.ofProject();
        Files.createDirectories(files.workDir());
        return new KafkaBrokerProcess(Files.createTempDirectory(files.workDir(), "broker-"), 0, 0, numPartitions);
    }

    /** Serve clients over SASL_SSL instead of PLAINTEXT; before the first {@link #start()}. */
    public KafkaBrokerProcess secured(SaslSslListener listener) {
        this.saslSsl = listener;
        return this;
    }

    /** Formats the data dir on first use, launches the broker and returns once it answers an AdminClient. */
    public synchronized KafkaBrokerProcess start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("Kafka broker already running on " + bootstrapServers());
        }
        if (brokerPort == 0) {
            brokerPort = freePort();
        }
        if (controllerPort == 0) {
            controllerPort = freePort();
        }
        long began = System.nanoTime();
        Files.createDirectories(dataDir);
        writeServerProperties();
        formatStorageOnce();
        process = launch("kafka.Kafka", serverProperties().toString());
        LIVE.add(process);
        awaitReady();
        System.out.printf("Kafka broker %s ready in %d ms (pid %d, log %s)%n", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), process.pid(), logFile());
        return this;
    }

    /** Graceful shutdown: SIGTERM, then SIGKILL if the broker has not exited within 30 s. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            killTree(process);
            process.waitFor();
        }
        LIVE.remove(process);
    }

    /** Crash: SIGKILL, no chance for the broker to flush or close anything. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        killTree(process);
        process.waitFor();
        LIVE.remove(process);
    }

    /** Stops the broker if it still runs, then starts it again on the same ports and data dir. */
    public synchronized KafkaBrokerProcess restart() throws IOException, InterruptedException {
        stop();
        return start();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code 127.0.0.1:port}; known once the broker was started. */
    public String bootstrapServers() {
        if (brokerPort == 0) {
            throw new IllegalStateException("Kafka broker not started yet");
        }
        return HOST + ":" + brokerPort;
    }

    /**
     * Client properties that point at this broker (and authenticate as its SASL user if {@link #secured});
     * add serializers, group id etc. as needed.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (saslSsl != null) {
            config.putAll(saslSsl.clientConfig());
        }
        return Map.copyOf(config);
    }

    public void createTopic(String name, int partitions, Map<String, String> configs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(clientConfig())) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    private Path serverProperties() {
        return dataDir.resolve("server.properties");
    }

    private Path kafkaLogDir() {
        return dataDir.resolve("kafka-logs");
    }

    private void writeServerProperties() throws IOException {
        String properties = Files.readString(files.serverPropertiesTemplate())
                .replace("@BROKER_PORT@", Integer.toString(brokerPort))
                .replace("@CONTROLLER_PORT@", Integer.toString(controllerPort))
                .replace("@LOG_DIR@", kafkaLogDir().toString())
                .replace("@NUM_PARTITIONS@", Integer.toString(numPartitions));
        if (saslSsl != null) {
            properties += saslSsl.serverProperties(brokerPort, controllerPort);
        }
        Files.writeString(serverProperties(), properties);
    }

    /** KRaft refuses to start on an unformatted log dir; formatting twice would fail, hence the meta.properties check. */
    private void formatStorageOnce() throws IOException, InterruptedException {
        if (Files.exists(kafkaLogDir().resolve("meta.properties"))) {
            return;
        }
        // 4.1 requires a cluster id, and --standalone because the quorum is given as controller.quorum.bootstrap.servers
        List<String> args = new ArrayList<>(List.of("format", "--config", serverProperties().toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--standalone"));
        if (saslSsl != null) {
            args.addAll(saslSsl.formatArguments());
        }
        Process format = launch("kafka.tools.StorageTool", args.toArray(String[]::new));
        if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            killTree(format);
            throw new IllegalStateException("Formatting the Kafka log dir timed out" + logTail());
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("Formatting the Kafka log dir failed (exit " + format.exitValue() + ")"
                    + logTail());
        }
    }

    private Process launch(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m",
                "-Dlog4j2.configurationFile=" + files.log4jConfig(), "-cp", files.classpath(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
    }

    /** The port accepting connections is not enough: the broker must also serve metadata to clients. */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!acceptsConnections()) {
            failIfExitedOrLate(deadline);
            Thread.sleep(100);
        }
        // at least 10 s whatever is left of the deadline; the request timeout may not exceed the API timeout
        // (the client refuses such a config), which a slow start on a loaded machine used to provoke
        int remainingMs = (int) Math.max(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 10_000);
        Map<String, Object> config = new HashMap<>(clientConfig());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remainingMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(remainingMs, 30_000));
        try (Admin admin = Admin.create(config)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw failure("Kafka broker " + bootstrapServers() + " describes a cluster without nodes");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw failure("Kafka broker " + bootstrapServers() + " did not answer describeCluster: " + e);
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, brokerPort), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private void failIfExitedOrLate(long deadline) {
        if (!process.isAlive()) {
            throw failure("Kafka broker exited with code " + process.exitValue() + " before it was ready");
        }
        if (System.nanoTime() > deadline) {
            throw failure("Kafka broker not listening on " + bootstrapServers() + " after " + READY_TIMEOUT);
        }
    }

    /** Kills the broker that failed to come up, so a failed start leaves no process behind. */
    private IllegalStateException failure(String message) {
        killTree(process);
        LIVE.remove(process);
        return new IllegalStateException(message + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return "\n--- last lines of " + logFile() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "\n(no log: " + e + ")";
        }
    }

    /** Process.destroyForcibly is SIGKILL on Linux; descendants first, in case the JVM was started through a wrapper. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }
}
