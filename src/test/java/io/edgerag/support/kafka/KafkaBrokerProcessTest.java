package io.edgerag.support.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker process is real: what it acknowledged survives a SIGKILL, and it serves again after a restart. */
@Timeout(120)
class KafkaBrokerProcessTest {

    private static final String TOPIC = "journal";
    private static final String GROUP = "replicator";
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(20);

    private KafkaBrokerProcess broker;

    @AfterEach
    void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void acknowledgedRecordsAndCommittedOffsetsSurviveSigkill() throws Exception {
        broker = KafkaBrokerProcess.inNewDataDir().start();
        broker.createTopic(TOPIC, 3, Map.of());
        String address = broker.bootstrapServers();

        List<String> beforeCrash = produceAcknowledged("before-crash-", 20);
        assertThat(consume(GROUP, beforeCrash.size())).containsExactlyInAnyOrderElementsOf(beforeCrash);

        broker.kill();
        assertThat(broker.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port(address)).close()).isInstanceOf(IOException.class);

        broker.restart();
        assertThat(broker.bootstrapServers()).isEqualTo(address);
        assertThat(consume("reader-after-restart", beforeCrash.size()))
                .containsExactlyInAnyOrderElementsOf(beforeCrash);

        List<String> afterRestart = produceAcknowledged("after-restart-", 10);
        // The group committed its offsets before the crash, so it resumes with the new records only.
        assertThat(consume(GROUP, afterRestart.size())).containsExactlyInAnyOrderElementsOf(afterRestart);
    }

    @Test
    void resourceHandsTheApplicationABrokerWhoseAutoCreatedTopicsHaveTheConfiguredPartitions() throws Exception {
        KafkaBrokerResource resource = new KafkaBrokerResource();
        resource.init(Map.of("num.partitions", "2"));
        try {
            Map<String, String> config = resource.start();
            String bootstrapServers = config.get("kafka.bootstrap.servers");
            assertThat(config).containsEntry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrapServers);

            produceAcknowledged(bootstrapServers, "auto-created-", 1);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
                assertThat(topic.partitions()).hasSize(2);
            }
        } finally {
            resource.stop();
        }
    }

    /** Sends with an idempotent acks=all producer and returns the values once every send was acknowledged. */
    private List<String> produceAcknowledged(String prefix, int count) throws Exception {
        return produceAcknowledged(broker.bootstrapServers(), prefix, count);
    }

    private static List<String> produceAcknowledged(String bootstrapServers, String prefix, int count)
            throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        List<String> values = new ArrayList<>();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = prefix + i;
                acks.add(producer.send(new ProducerRecord<>(TOPIC, value, value)));
                values.add(value);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        return values;
    }

    /**
     * Polls until {@code expected} records arrived, plus one more poll so that extra (duplicate) records would show,
     * then commits the group's offsets.
     */
    private List<String> consume(String group, int expected) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            for (ConsumerRecord<String, String> extra : consumer.poll(Duration.ofMillis(500))) {
                values.add(extra.value());
            }
            consumer.commitSync();
        }
        return values;
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }
}
