package io.edgerag.support.app;

import io.edgerag.support.kafka.KafkaBrokerProcess;
import io.edgerag.support.pinecone.PineconeStandInServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The set-up of the multi-node ITs with a cloud: one real Kafka broker (its own JVM), the Pinecone stand-in
 * (in the test's JVM, 384 dimensions) and appliances in hybrid mode on both, started together and stopped
 * together, under {@code target/<name>/run-<millis>}.
 */
public final class FleetWithCloud implements AutoCloseable {

    public static final String PINECONE_KEY = "pcsk_standin_key";

    private final Path root;
    private final KafkaBrokerProcess broker;
    private final PineconeStandInServer cloud;
    private final List<ApplianceProcess> nodes = new ArrayList<>();

    private FleetWithCloud(Path root, KafkaBrokerProcess broker, PineconeStandInServer cloud) {
        this.root = root;
        this.broker = broker;
        this.cloud = cloud;
    }

    /** Starts the broker and the cloud stand-in; nodes are added with {@link #node} and started with {@link #startNodes}. */
    public static FleetWithCloud start(String name) throws Exception {
        Path root = Files.createDirectories(Path.of("target", name)).resolve("run-" + System.currentTimeMillis());
        KafkaBrokerProcess broker = new KafkaBrokerProcess(root.resolve("kafka")).start();
        PineconeStandInServer cloud = new PineconeStandInServer(384, PINECONE_KEY);
        cloud.start();
        return new FleetWithCloud(root, broker, cloud);
    }

    /**
     * A node (not started) in hybrid mode on all-MiniLM-L6-v2 with the cloud tier on the stand-in; no sample
     * corpus, no Ollama (chats answer extractively). Add settings with {@link ApplianceProcess#with}.
     */
    public ApplianceProcess node(String id) throws Exception {
        ApplianceProcess n = new ApplianceProcess(id, root.resolve("node-" + id))
                .with("edgerag.sync.enabled", "true")
                .with("edgerag.sync.node-id", id)
                .with("kafka.bootstrap.servers", broker.bootstrapServers())
                .with("edgerag.embedding.model", "all-minilm-l6-v2")
                .with("edgerag.ingest.sample-corpus-on-first-run", "false")
                .with("edgerag.ollama.base-url", "http://127.0.0.1:9")
                .with("edgerag.cloud.store", "pinecone")
                .with("edgerag.cloud.pinecone.index-host", cloud.host())
                .with("edgerag.cloud.pinecone.api-key", PINECONE_KEY)
                .with("edgerag.cloud.pinecone.tls", "false")
                // a cold gRPC channel on a busy CI box: the default 200 ms budget would make cloud reads flaky here
                .with("edgerag.retrieval.cloud-budget", "3s");
        nodes.add(n);
        return n;
    }

    /** Starts every node added so far, side by side. */
    public void startNodes() throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(nodes.size());
        try {
            for (Future<?> f : starter.invokeAll(nodes.stream().map(n -> (Callable<Object>) n::start).toList())) {
                f.get();
            }
        } finally {
            starter.shutdown();
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public PineconeStandInServer cloud() {
        return cloud;
    }

    @Override
    public void close() throws Exception {
        for (ApplianceProcess n : nodes) {
            n.stop();
        }
        cloud.stop();
        broker.close();
    }
}
