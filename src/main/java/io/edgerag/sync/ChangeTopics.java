package io.edgerag.sync;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the change topic (compacted) and the dead-letter topic (time-retained) when they are
 * missing, so that a fresh broker gets the retention the sync design relies on rather than a
 * broker's auto-create defaults. Consumers are configured not to auto-create topics for that reason.
 * The admin client connects like the sync channels do: with every {@code kafka.*} setting (TLS, SASL).
 */
@ApplicationScoped
public class ChangeTopics {

    private static final Logger LOG = Logger.getLogger(ChangeTopics.class);
    public static final String DEAD_LETTER_TOPIC = "edgerag.changes.dlq";

    private final SyncConfig config;
    private final Map<String, Object> kafka;
    private volatile boolean ensured;

    /** @param kafka the {@code kafka.*} configuration (and {@code KAFKA_*} environment), prefix removed */
    public ChangeTopics(SyncConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    /** Idempotent; throws when the broker cannot be reached (the caller retries). */
    public void ensure() {
        if (ensured) {
            return;
        }
        SyncConfig.Topic t = config.topic();
        NewTopic changes = new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(t.maxCompactionLag().toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.min(t.maxCompactionLag().toMillis(), 3_600_000L)),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.max(1, t.replicationFactor() - 1))));
        NewTopic deadLetters = new NewTopic(DEAD_LETTER_TOPIC, 1, t.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(t.deadLetterRetention().toMillis())));
        createMissing(List.of(changes, deadLetters));
        ensured = true;
    }

    /** {@link #createMissing(Map, List)} with this application's Kafka settings. */
    public void createMissing(List<NewTopic> topics) {
        createMissing(kafka, topics);
    }

    /**
     * Creates those of {@code topics} the broker does not have yet (one that appears meanwhile is fine);
     * throws {@link IllegalStateException} when the broker cannot be reached or refuses this client (the caller
     * retries). {@code kafka} holds client settings as Kafka names them ({@code bootstrap.servers},
     * {@code security.protocol}, {@code sasl.*}, {@code ssl.*}); those an admin client does not know are left out.
     */
    public static void createMissing(Map<String, Object> kafka, List<NewTopic> topics) {
        Object bootstrapServers = kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(adminConfig(kafka))) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(n -> !existing.contains(n.name())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                    LOG.infof("created %s", missing.stream().map(NewTopic::name).toList());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + names(topics), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot check or create " + names(topics) + " on " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, Object> adminConfig(Map<String, Object> kafka) {
        Map<String, Object> admin = new HashMap<>();
        kafka.forEach((name, value) -> {
            // kafka.tls-configuration-name (the Quarkus TLS registry) comes with an SSL engine factory that reads it
            if (AdminClientConfig.configNames().contains(name) || name.equals("tls-configuration-name")) {
                admin.put(name, value);
            }
        });
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return admin;
    }

    private static List<String> names(List<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }
}
