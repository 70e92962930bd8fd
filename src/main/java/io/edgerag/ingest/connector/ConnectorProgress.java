package io.edgerag.ingest.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;

/**
 * A connector's live state and counts, updated per document while a run goes (so the status page shows
 * a long first run moving), and the {@code edgerag_connector_changes_total{connector,kind}} counters.
 */
public final class ConnectorProgress {

    private final ConnectorSettings settings;
    private final Counter upsertCounter;
    private final Counter deleteCounter;
    private final Counter unchangedCounter;
    private final Counter failureCounter;

    private String state;
    private Instant lastRunStarted;
    private Instant lastRunFinished;
    private String lastCommit;
    private int seen;
    private long runs;
    private long upserts;
    private long deletes;
    private long unchanged;
    private long failures;
    private String lastError;
    private Instant lastErrorAt;

    public ConnectorProgress(ConnectorSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.state = settings.enabled() ? "idle" : "disabled";
        this.upsertCounter = changes(registry, "upsert");
        this.deleteCounter = changes(registry, "delete");
        this.unchangedCounter = changes(registry, "unchanged");
        this.failureCounter = changes(registry, "failure");
    }

    private Counter changes(MeterRegistry registry, String kind) {
        return Counter.builder("edgerag.connector.changes")
                .description("Documents a source connector upserted, deleted, found unchanged or failed to ingest")
                .tag("connector", settings.name()).tag("kind", kind).register(registry);
    }

    synchronized void started() {
        state = "running";
        lastRunStarted = Instant.now();
        runs++;
    }

    synchronized void finished(RunReport report) {
        state = "idle";
        lastRunFinished = Instant.now();
        seen = report.seen();
        if (report.commit() != null) {
            lastCommit = report.commit();
        }
    }

    synchronized void stopped(Exception e) {
        state = "failed";
        lastRunFinished = Instant.now();
        error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    synchronized void commitKnown(String commit) {
        lastCommit = commit;
    }

    synchronized void upserted() {
        upserts++;
        upsertCounter.increment();
    }

    synchronized void deleted() {
        deletes++;
        deleteCounter.increment();
    }

    synchronized void unchanged() {
        unchanged++;
        unchangedCounter.increment();
    }

    synchronized void failed(String path, Exception e) {
        failures++;
        failureCounter.increment();
        error(path + ": " + e.getMessage());
    }

    private void error(String message) {
        lastError = message;
        lastErrorAt = Instant.now();
    }

    public synchronized ConnectorStatus status() {
        return new ConnectorStatus(settings.name(), settings.type(), state, settings.location(),
                settings.type() == ConnectorType.git ? settings.branch() : null, settings.collection(),
                lastRunStarted, lastRunFinished, lastCommit, seen, runs, upserts, deletes, unchanged, failures,
                lastError, lastErrorAt);
    }
}
