package io.edgerag.audit;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.security.Caller;
import io.edgerag.store.local.Version;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The appliance's audit trail: {@code <edgerag.data-dir>/audit/audit.jsonl} (see {@link AuditLog} for the
 * format, the fsync policy and the restart rule; {@link AuditChain} to verify it), counted in
 * {@code edgerag_audit_events_total{action}}.
 *
 * <p>Ordering: an action is recorded after it took effect (the version exists only then) and before
 * its caller is acknowledged; the returned {@link Uni} completes once the line is durable. A crash
 * between the two leaves an effect without its line, never a line without its effect, and never an
 * acknowledged action without its line; the store's change log ({@code /api/documents/{id}/changes})
 * still has the change.
 */
@Singleton
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    private final AuditLog log;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public AuditTrail(EdgeragConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.log = AuditLog.open(Path.of(config.dataDir()).resolve("audit").resolve("audit.jsonl"));
    }

    void openAtStartup(@Observes StartupEvent event) {
        LOG.infof("audit trail: %s", log.file().toAbsolutePath());
    }

    public static AuditEvent documentEvent(Caller caller, String action, String docId, Version version, String collection) {
        return new AuditEvent(caller.name(), action, docId, version == null ? null : Long.toString(version.hlc()),
                collection, null);
    }

    /** Records the event; completes (on a worker thread) once its line is durable, fails when it could not be written. */
    public Uni<Void> record(AuditEvent event) {
        return Uni.createFrom().completionStage(() -> append(event))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    /** Records the events; completes once all their lines are durable. */
    public Uni<Void> recordAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> CompletableFuture.allOf(events.stream().map(this::append)
                        .toArray(CompletableFuture[]::new)))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    /** Blocking: records the events and waits until their lines are durable (consumer and CLI threads). */
    public void recordAndWait(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] all = events.stream().map(this::append).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the audit trail", e);
        } catch (Exception e) {
            throw new IllegalStateException("the audit trail could not be written: " + e.getMessage(), e);
        }
    }

    /** Records without waiting (background work nobody is acknowledged for); a failure is logged. */
    public void recordLater(AuditEvent event) {
        append(event).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.errorf("audit event %s not written: %s", event.action(), failure.getMessage());
            }
        });
    }

    public Path file() {
        return log.file();
    }

    /** See {@link AuditLog#durableLength()}. */
    public long durableLength() {
        return log.durableLength();
    }

    private CompletableFuture<AuditEntry> append(AuditEvent event) {
        return log.append(event).thenApply(entry -> {
            counters.computeIfAbsent(event.action(), a -> Counter.builder("edgerag.audit.events")
                    .description("Audit trail entries written, by action").tag("action", a).register(registry)).increment();
            return entry;
        });
    }

    @PreDestroy
    void close() {
        log.close();
    }
}
