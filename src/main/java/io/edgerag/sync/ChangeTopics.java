package io.edgerag.sync;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the change topic (compacted) and the dead-letter topic (time-retained) when they are
 * missing, so that a fresh broker gets the retention the sync design relies on rather than a
 * broker's auto-create defaults. Consumers are configured not to auto-create topics for that reason.
 */
@ApplicationScoped
public class ChangeTopics {

    private static final Logger LOG = Logger.getLogger(ChangeTopics.class);
    public static final String DEAD_LETTER_TOPIC = "edgerag.changes.dlq";

    private final SyncConfig config;
    private final String bootstrapServers;
    private volatile boolean ensured;

    public ChangeTopics(SyncConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
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
        createMissing(bootstrapServers, List.of(changes, deadLetters));
        ensured = true;
    }

    /**
     * Creates those of {@code topics} the broker does not have yet (one that appears meanwhile is fine);
     * throws {@link IllegalStateException} when the broker cannot be reached (the caller retries).
     */
    public static void createMissing(String bootstrapServers, List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
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

    private static List<String> names(List<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }
}
