package io.edgerag.support.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the change topic as another node would, for tests that check what a write put on it. */
public final class ChangeTopicRecords {

    private ChangeTopicRecords() {
    }

    /**
     * The first record keyed {@code docId} on {@code edgerag.changes}, from the beginning of every partition,
     * waiting up to {@code within} for the topic and the record to appear.
     *
     * @param client the consumer's connection settings (bootstrap servers, and TLS/SASL where the broker needs them)
     */
    public static ConsumerRecord<String, String> firstOf(String docId, Map<String, Object> client, Duration within) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long deadline = System.nanoTime() + within.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            while (System.nanoTime() < deadline) {
                List<TopicPartition> partitions = consumer.partitionsFor("edgerag.changes").stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    continue;
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long pollUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < pollUntil) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        if (docId.equals(r.key())) {
                            return r;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no record of " + docId + " on edgerag.changes");
    }
}
