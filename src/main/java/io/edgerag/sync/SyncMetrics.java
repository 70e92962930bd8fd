package io.edgerag.sync;

import io.edgerag.store.local.DurableVectorStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sync meters, on {@code /q/metrics}: {@code edgerag_sync_lag_seconds} (apply time minus the
 * physical time of the event's HLC, so it spans outbox wait, broker and apply), events by outcome,
 * published changes, publish failures and the outbox's depth and bytes. Consumer lag in records comes
 * from the Kafka client's own metrics ({@code kafka_consumer_fetch_manager_records_lag*}).
 */
@Singleton
public class SyncMetrics {

    private final Map<ApplyOutcome, Counter> events = new EnumMap<>(ApplyOutcome.class);
    private final Timer lag;
    private final Counter published;
    private final Counter publishFailures;
    private final Counter clockSkew;

    public SyncMetrics(MeterRegistry registry, DurableVectorStore store) {
        for (ApplyOutcome outcome : ApplyOutcome.values()) {
            events.put(outcome, Counter.builder("edgerag.sync.events").tag("outcome", outcome.tag())
                    .description("Inbound change events by what became of them").register(registry));
        }
        lag = Timer.builder("edgerag.sync.lag").description("From the event's HLC time to durable on this node")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        published = Counter.builder("edgerag.sync.published").description("Local changes acknowledged by the broker")
                .register(registry);
        publishFailures = Counter.builder("edgerag.sync.publish.failures")
                .description("Relay rounds that failed (broker unreachable or refusing)").register(registry);
        clockSkew = Counter.builder("edgerag.sync.clock.skew")
                .description("Inbound versions made further ahead of this node's clock than edgerag.sync.max-clock-skew")
                .register(registry);
        Gauge.builder("edgerag.sync.outbox.depth", store, DurableVectorStore::outboxDepth)
                .description("Local changes not yet acknowledged by the broker").register(registry);
        Gauge.builder("edgerag.sync.outbox.bytes", store, DurableVectorStore::outboxBytes)
                .description("Payload bytes of the unpublished changes (the disk budget counts these)").register(registry);
    }

    public void applied(ApplyOutcome outcome, long eventPhysicalMillis) {
        events.get(outcome).increment();
        if (outcome == ApplyOutcome.APPLIED || outcome == ApplyOutcome.REEMBEDDED) {
            lag.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - eventPhysicalMillis)));
        }
    }

    public void deadLettered() {
        events.get(ApplyOutcome.DEAD_LETTERED).increment();
    }

    public void published(int n) {
        published.increment(n);
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    public void clockSkewed() {
        clockSkew.increment();
    }

    public long count(ApplyOutcome outcome) {
        return (long) events.get(outcome).count();
    }

    public long publishedCount() {
        return (long) published.count();
    }

    public long publishFailureCount() {
        return (long) publishFailures.count();
    }

    public long clockSkewCount() {
        return (long) clockSkew.count();
    }

    /** Lag percentile in ms over the recent window (NaN-safe: 0 before the first event). */
    public double lagMillis(double percentile) {
        for (var v : lag.takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - percentile) < 1e-9) {
                double ms = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
                return Double.isNaN(ms) ? 0 : ms;
            }
        }
        return 0;
    }

    public long lagCount() {
        return lag.count();
    }
}
