package io.edgerag.support.kafka;

import io.edgerag.support.tls.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts one real Kafka broker process for a {@code @QuarkusTest} and points the application at it.
 * Use with {@code @QuarkusTestResource(KafkaBrokerResource.class)} (or {@code @WithTestResource}); the init arg
 * {@code num.partitions} sets the partitions of auto-created topics; the init arg {@code security=SASL_SSL} starts
 * the broker with a TLS + SCRAM listener (certificates generated for the run) and gives the application the
 * {@code kafka.*} settings to authenticate, the way an operator would configure them.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String SASL_USER = "edge-node";
    public static final String SASL_PASSWORD = "edge-node-secret";

    private int numPartitions = KafkaBrokerProcess.DEFAULT_PARTITIONS;
    private boolean saslSsl;
    private KafkaBrokerProcess broker;

    @Override
    public void init(Map<String, String> initArgs) {
        numPartitions = Integer.parseInt(initArgs.getOrDefault("num.partitions", String.valueOf(numPartitions)));
        saslSsl = "SASL_SSL".equals(initArgs.get("security"));
    }

    @Override
    public Map<String, String> start() {
        try {
            broker = KafkaBrokerProcess.inNewDataDir(numPartitions);
            if (saslSsl) {
                broker.secured(new SaslSslListener(TestCertificates.generate(), SASL_USER, SASL_PASSWORD));
            }
            broker.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start the Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        }
        Map<String, String> config = new HashMap<>();
        broker.clientConfig().forEach((name, value) -> config.put("kafka." + name, value.toString()));
        config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    @Override
    public void stop() {
        if (broker == null) {
            return;
        }
        try {
            broker.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
