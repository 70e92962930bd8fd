package io.edgerag.sync.cloud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Cloud sink and reconciler meters, on {@code /q/metrics}: {@code edgerag_cloud_sink_events_total{outcome}},
 * {@code edgerag_cloud_sink_lag_seconds} (from the event's HLC time to acknowledged by the cloud, for
 * applied events), {@code edgerag_cloud_sink_errors_total} (failed attempts at a batch: the batch is
 * retried, its offsets stay uncommitted), and the reconciler's runs and published events. The sink's
 * consumer lag in records is the Kafka client's {@code kafka_consumer_fetch_manager_records_lag*} with
 * {@code client_id} {@code edgerag-<node>-cloud-sink-in}.
 */
@Singleton
public class CloudSinkMetrics {

    private final Map<SinkOutcome, Counter> events = new EnumMap<>(SinkOutcome.class);
    private final Timer lag;
    private final Counter errors;
    private final Counter reconcileRuns;
    private final Counter reconcilePublished;
    private final Counter reconcileFailures;

    public CloudSinkMetrics(MeterRegistry registry) {
        for (SinkOutcome outcome : SinkOutcome.values()) {
            events.put(outcome, Counter.builder("edgerag.cloud.sink.events").tag("outcome", outcome.tag())
                    .description("Change events consumed by the cloud sink, by what became of them").register(registry));
        }
        lag = Timer.builder("edgerag.cloud.sink.lag").description("From the event's HLC time to acknowledged by the cloud store")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        errors = Counter.builder("edgerag.cloud.sink.errors")
                .description("Failed attempts to apply a batch to the cloud store (retried; offsets not committed)")
                .register(registry);
        reconcileRuns = Counter.builder("edgerag.cloud.reconcile.runs").description("Completed reconciler runs")
                .register(registry);
        reconcilePublished = Counter.builder("edgerag.cloud.reconcile.published")
                .description("Change events the reconciler published for documents written in the cloud directly")
                .register(registry);
        reconcileFailures = Counter.builder("edgerag.cloud.reconcile.failures").description("Reconciler runs that failed")
                .register(registry);
    }

    void outcome(SinkOutcome outcome) {
        events.get(outcome).increment();
    }

    void applied(long eventPhysicalMillis) {
        events.get(SinkOutcome.APPLIED).increment();
        lag.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - eventPhysicalMillis)));
    }

    void error() {
        errors.increment();
    }

    void reconciled(int published) {
        reconcileRuns.increment();
        reconcilePublished.increment(published);
    }

    void reconcileFailed() {
        reconcileFailures.increment();
    }

    public long count(SinkOutcome outcome) {
        return (long) events.get(outcome).count();
    }

    public long errorCount() {
        return (long) errors.count();
    }

    public long lagCount() {
        return lag.count();
    }
}
