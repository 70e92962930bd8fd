package io.edgerag.consistency;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.security.EgressPolicy;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.ChangeTopics;
import io.edgerag.sync.KafkaOutlet;
import io.edgerag.sync.NodeIdentity;
import io.edgerag.sync.SyncConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The priority lane (hybrid mode). A high-priority write is published by its writer straight to
 * {@code edgerag.changes.priority} right after the local commit, besides the outbox's ordinary publication
 * to {@code edgerag.changes}. Every edge reads the priority topic in a consumer of its own
 * ({@code ChangeConsumer#consumePriority}), so the change does not queue behind a bulk backlog (backfills,
 * re-embedding) of the change topic; the same change arriving later through the bulk lane is a duplicate.
 * If the priority publication fails, nothing is lost: the outbox still carries it, and the answer says the
 * write went by the bulk lane. Lag of this lane: {@code edgerag_sync_priority_lag_seconds}.
 */
@ApplicationScoped
public class PriorityLane {

    private static final Logger LOG = Logger.getLogger(PriorityLane.class);

    /** What became of a write's priority: {@code lane} priority | bulk; {@code reason} why bulk when asked for priority. */
    public record Report(String lane, String reason) {
    }

    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final KafkaOutlet outlet = new KafkaOutlet();
    private final DurableVectorStore store;
    private final EgressPolicy egress;
    private final NodeIdentity node;
    private final SyncConfig sync;
    private final ConsistencyConfig config;
    private final ChangeTopics topics;
    private final Timer lag;
    private volatile boolean topicReady;

    public PriorityLane(DurableVectorStore store, EgressPolicy egress, NodeIdentity node, SyncConfig sync,
                        ConsistencyConfig config, ChangeTopics topics, MeterRegistry registry) {
        this.store = store;
        this.egress = egress;
        this.node = node;
        this.sync = sync;
        this.config = config;
        this.topics = topics;
        this.lag = Timer.builder("edgerag.sync.priority.lag").description("Priority lane: from the event's HLC time to durable on this node")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /**
     * Creates the priority topic at start (retrying while the broker is away), so every edge's consumer
     * is already on it when the first priority write comes, instead of discovering it then.
     */
    void start(@Observes StartupEvent event) {
        if (!sync.enabled()) {
            return;
        }
        Thread t = new Thread(() -> {
            while (!topicReady) {
                try {
                    ensureTopic();
                } catch (RuntimeException e) {
                    LOG.debugf("priority topic not created yet: %s", e.getMessage());
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }, "edgerag-priority-topic");
        t.setDaemon(true);
        t.start();
    }

    @Outgoing("priority-out")
    Multi<Message<String>> outgoing() {
        return outlet.stream();
    }

    /** {@code requested}: null/blank/normal → the collection decides; high → priority; anything else → 400. */
    public boolean wanted(String requested, String collection) {
        if (requested != null && !requested.isBlank()) {
            return switch (requested.trim().toLowerCase(Locale.ROOT)) {
                case "high" -> true;
                case "normal" -> false;
                default -> throw new InvalidRequestException("priority must be high or normal, got '" + requested + "'");
            };
        }
        return collection != null && config.priorityCollections().map(l -> l.contains(collection)).orElse(false);
    }

    /** Publishes the document at {@code version} on the priority lane; never fails the write. */
    public Uni<Report> publish(String docId, Version version) {
        if (!sync.enabled()) {
            return Uni.createFrom().item(new Report("bulk", "standalone: no sync, no lanes"));
        }
        return io.edgerag.common.Blocking.call(() -> {
                    topics.ensure();
                    ensureTopic();
                    DocumentChange change = store.changeAt(docId, version)
                            .orElseThrow(() -> new IllegalStateException("superseded before it was sent"));
                    return KafkaRecord.of(docId, codec.encode(egress.outbound(change), node.id(), sync.shareText()))
                            .withHeader("edgerag-origin", node.id());
                })
                .flatMap(record -> outlet.send(record))
                .ifNoItem().after(config.prioritySendTimeout()).fail()
                .map(ignored -> new Report("priority", null))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("priority lane publication of %s failed (%s): it goes by the bulk lane", docId, e.getMessage());
                    return new Report("bulk", "priority lane failed: " + e.getMessage());
                });
    }

    /** After a priority-lane batch is durable here. */
    public void applied(long eventPhysicalMillis) {
        lag.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - eventPhysicalMillis)));
    }

    public Timer lag() {
        return lag;
    }

    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        NewTopic t = new NewTopic(config.priorityTopic(), 1, sync.topic().replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis())));
        topics.createMissing(List.of(t));
        topicReady = true;
    }
}
