package io.edgerag.sync;

import io.edgerag.store.local.DurableVectorStore;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an operator (and the health check) needs to know about sync, in one snapshot. */
@Singleton
public class SyncStatus {

    /** Share of the outbox budget from which readiness carries a warning. */
    static final double OUTBOX_WARNING_SHARE = 0.8;

    public record Outbox(long depth, long bytes, long budgetBytes, double budgetUsed) {
    }

    public record Relay(boolean running, long published, long failures, Instant lastSuccess, Instant failingSince,
                        String lastError) {
    }

    public record Lag(long samples, double p50Millis, double p99Millis) {
    }

    public record Snapshot(String nodeId, boolean enabled, Outbox outbox, Relay relay, Map<String, Long> events,
                           Lag lag, long clockSkewed, String warning) {
    }

    private final SyncConfig config;
    private final NodeIdentity node;
    private final DurableVectorStore store;
    private final OutboxRelay relay;
    private final SyncMetrics metrics;

    public SyncStatus(SyncConfig config, NodeIdentity node, DurableVectorStore store, OutboxRelay relay, SyncMetrics metrics) {
        this.config = config;
        this.node = node;
        this.store = store;
        this.relay = relay;
        this.metrics = metrics;
    }

    public Snapshot snapshot() {
        long budget = config.outbox().budget().asLongValue();
        double used = budget <= 0 ? 0 : (double) store.outboxBytes() / budget;
        Map<String, Long> events = new LinkedHashMap<>();
        for (ApplyOutcome outcome : ApplyOutcome.values()) {
            events.put(outcome.tag(), metrics.count(outcome));
        }
        return new Snapshot(node.id(), config.enabled(),
                new Outbox(store.outboxDepth(), store.outboxBytes(), budget, used),
                new Relay(relay.isRunning(), metrics.publishedCount(), metrics.publishFailureCount(), relay.lastSuccess(),
                        relay.failingSince(), relay.lastError()),
                events, new Lag(metrics.lagCount(), metrics.lagMillis(0.5), metrics.lagMillis(0.99)),
                metrics.clockSkewCount(), warning(used));
    }

    private String warning(double budgetUsed) {
        if (!config.enabled()) {
            return null;
        }
        if (budgetUsed >= 1) {
            return "outbox budget spent: local writes are refused until the broker is reachable again";
        }
        if (budgetUsed >= OUTBOX_WARNING_SHARE) {
            return String.format("outbox at %.0f%% of its budget: the broker has been unreachable since %s",
                    budgetUsed * 100, relay.failingSince());
        }
        if (relay.failingSince() != null) {
            return "cannot publish to Kafka since " + relay.failingSince() + ": " + relay.lastError();
        }
        return null;
    }
}
