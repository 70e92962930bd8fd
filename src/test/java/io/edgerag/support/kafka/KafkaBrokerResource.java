package io.edgerag.support.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts one real Kafka broker process for a {@code @QuarkusTest} and points the application at it.
 * Use with {@code @QuarkusTestResource(KafkaBrokerResource.class)} (or {@code @WithTestResource}); the init arg
 * {@code num.partitions} sets the partitions of auto-created topics.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private int numPartitions = KafkaBrokerProcess.DEFAULT_PARTITIONS;
    private KafkaBrokerProcess broker;

    @Override
    public void init(Map<String, String> initArgs) {
        numPartitions = Integer.parseInt(initArgs.getOrDefault("num.partitions", String.valueOf(numPartitions)));
    }

    @Override
    public Map<String, String> start() {
        try {
            broker = KafkaBrokerProcess.inNewDataDir(numPartitions).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start the Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        }
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", broker.bootstrapServers());
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
