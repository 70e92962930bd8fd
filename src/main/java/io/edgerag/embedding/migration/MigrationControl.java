package io.edgerag.embedding.migration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.sync.ChangeTopics;
import io.edgerag.sync.KafkaOutlet;
import io.edgerag.sync.SyncConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedding control topic {@code edgerag.embedding.control} beside the change log (compacted, one
 * partition; hybrid mode only). Key {@code plan}: the latest {@link MigrationPlan}, which every node
 * applies the same way (and a node that starts later, or restarts, reads again: the topic is read from
 * its beginning). Key {@code node:<id>}: each node's own state, sent at every change and every
 * {@code report-interval}, which {@code GET /api/admin/embedding} shows as the per-node view.
 */
@ApplicationScoped
public class MigrationControl {

    private static final Logger LOG = Logger.getLogger(MigrationControl.class);
    public static final String TOPIC = "edgerag.embedding.control";
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final KafkaOutlet outlet = new KafkaOutlet();
    private final SyncConfig sync;
    private final ChangeTopics topics;
    private final EmbeddingMigrations migrations;
    private volatile boolean topicReady;
    private ScheduledExecutorService reports;

    public MigrationControl(SyncConfig sync, ChangeTopics topics, EmbeddingMigrations migrations) {
        this.sync = sync;
        this.topics = topics;
        this.migrations = migrations;
    }

    void start(@Observes StartupEvent event) {
        if (!sync.enabled()) {
            return;
        }
        migrations.onPlan(plan -> {
            try {
                send("plan", new ControlRecord(plan, null));
            } catch (RuntimeException e) {
                // applied here already; the other nodes get it when an operator repeats the call
                LOG.warnf("embedding plan %s %s not announced (broker unreachable?): %s", plan.action(), plan.targetModel(), e.getMessage());
            }
        });
        migrations.onChange(this::report);
        reports = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgerag-embedding-report");
            t.setDaemon(true);
            return t;
        });
        reports.scheduleWithFixedDelay(this::report, 0, REPORT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (reports != null) {
            reports.shutdownNow();
        }
    }

    @Outgoing("embedding-control-out")
    Multi<Message<String>> outgoing() {
        return outlet.stream();
    }

    @Incoming("embedding-control-in")
    @Blocking // a plan may embed (a rollback makes the missing previous-model vectors first)
    public void receive(String payload) {
        ControlRecord record;
        try {
            record = json.readValue(payload, ControlRecord.class);
        } catch (Exception e) {
            LOG.debugf("unreadable embedding control record skipped: %s", e.getMessage());
            return;
        }
        if (record.plan() != null) {
            migrations.planReceived(record.plan());
        }
        if (record.state() != null) {
            migrations.peerReported(record.state());
        }
    }

    private void report() {
        try {
            send("node:" + migrations.nodeId(), new ControlRecord(null, migrations.selfState()));
        } catch (RuntimeException e) {
            LOG.debugf("embedding state not reported: %s", e.getMessage());
        }
    }

    private void send(String key, ControlRecord record) {
        ensureTopic();
        String payload;
        try {
            payload = json.writeValueAsString(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        outlet.send(KafkaRecord.of(key, payload)).subscribe().with(ok -> { },
                failure -> LOG.warnf("embedding control record %s not sent: %s", key, failure.getMessage()));
    }

    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        topics.createMissing(List.of(new NewTopic(TOPIC, 1, sync.topic().replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        topicReady = true;
    }
}
