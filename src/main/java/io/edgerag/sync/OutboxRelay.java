package io.edgerag.sync;

import io.edgerag.observability.TraceContexts;
import io.edgerag.security.EgressPolicy;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.StoreRecords.OutboxEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.OutgoingKafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Drains the outbox to {@code edgerag.changes}, oldest first, key = docId, through an idempotent
 * {@code acks=all} producer. An entry leaves the outbox only after the broker acknowledged it, so a
 * crash or an outage at any point means "send again" (receivers apply idempotently), never "lost".
 * While the broker is away the relay backs off with jitter and the outbox grows, up to its budget.
 *
 * <p>One thread of its own: the loop reads SQLite and waits for broker acks, both blocking, and an
 * idle relay costs nothing but a sleep.
 *
 * <p>Traces: the store keeps the trace context of each local write with its outbox row; publishing
 * it is a {@code sync.publish} span in that trace (a child of the write's span, however much later),
 * and the record carries the publish span's W3C {@code traceparent} header, from which the receiving
 * nodes continue the trace ({@link ChangeConsumer}). The connector's own tracing is off for this
 * channel: it would start from the relay thread's empty context instead.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final DurableVectorStore store;
    private final KafkaOutlet outlet = new KafkaOutlet();
    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final SyncConfig config;
    private final NodeIdentity node;
    private final SyncMetrics metrics;
    private final ChangeTopics topics;
    private final EgressPolicy egress;
    private final Tracer tracer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile Instant failingSince;

    public OutboxRelay(DurableVectorStore store, SyncConfig config, NodeIdentity node, SyncMetrics metrics, ChangeTopics topics,
                       EgressPolicy egress, Tracer tracer) {
        this.store = store;
        this.tracer = tracer;
        this.egress = egress;
        this.topics = topics;
        this.config = config;
        this.node = node;
        this.metrics = metrics;
    }

    @Outgoing("changes-out")
    Multi<Message<String>> changes() {
        return outlet.stream();
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        store.onOutboxAppend(this::wake);
        store.traceContextSource(() -> TraceContexts.traceparent(Context.current()));
        thread = new Thread(this::run, "edgerag-outbox-relay");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("sync on: node %s publishes its changes (%d waiting in the outbox)", node.id(), store.outboxDepth());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = thread;
        if (t != null) {
            wake();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after a local write committed an outbox entry: publish now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    public String lastError() {
        return lastError;
    }

    /** When the relay started failing without a success since; null while it is healthy. */
    public Instant failingSince() {
        return failingSince;
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                if (!publishOneBatch()) {
                    idle(config.outbox().idlePoll());
                }
                backoff = FIRST_BACKOFF;
            } catch (RuntimeException e) {
                metrics.publishFailed();
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                if (failingSince == null) {
                    failingSince = Instant.now();
                    LOG.warnf("cannot publish to Kafka (%s); the outbox keeps the changes (%d waiting) and the relay retries",
                            lastError, store.outboxDepth());
                }
                sleep(backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1)));
                backoff = backoff.multipliedBy(2).compareTo(config.outbox().maxBackoff()) > 0
                        ? config.outbox().maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    /** @return false when the outbox was empty */
    private boolean publishOneBatch() {
        topics.ensure();
        List<OutboxEntry> batch = store.pendingChanges(config.outbox().batchSize());
        if (batch.isEmpty()) {
            return false;
        }
        List<Uni<Void>> acks = new ArrayList<>(batch.size());
        for (OutboxEntry entry : batch) {
            store.changeOf(entry).ifPresent(change -> acks.add(publish(entry, change)));
        }
        if (!acks.isEmpty()) {
            Uni.join().all(acks).andFailFast().await().atMost(config.outbox().sendTimeout());
        }
        store.markPublished(batch);
        metrics.published(acks.size());
        lastSuccess = Instant.now();
        if (failingSince != null) {
            LOG.infof("publishing to Kafka again after %s", Duration.between(failingSince, lastSuccess));
            failingSince = null;
            lastError = null;
        }
        return true;
    }

    /** Sends one change as a {@code sync.publish} span of the trace its write belongs to; the span ends with the broker's answer. */
    private Uni<Void> publish(OutboxEntry entry, DocumentChange stored) {
        Span span = tracer.spanBuilder("sync.publish")
                .setParent(TraceContexts.fromTraceparent(entry.traceparent()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", config.topic().name())
                .setAttribute("edgerag.doc_id", entry.docId())
                .setAttribute("edgerag.change.type", entry.type().name())
                .setAttribute("edgerag.outbox.age_ms", Math.max(0, System.currentTimeMillis() - entry.at().toEpochMilli()))
                .startSpan();
        KafkaRecord<String, String> record;
        try {
            record = record(stored, Context.root().with(span));
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            span.end();
            throw e;
        }
        return outlet.send(record).onTermination().invoke((ignored, failure, cancelled) -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }

    private KafkaRecord<String, String> record(DocumentChange stored, Context trace) {
        DocumentChange change = egress.outbound(stored);
        OutgoingKafkaRecord<String, String> record = KafkaRecord.of(change.docId(), codec.encode(change, node.id(), config.shareText()))
                .withHeader("edgerag-origin", node.id());
        for (var header : TraceContexts.headersOf(trace).entrySet()) {
            record = record.withHeader(header.getKey(), header.getValue());
        }
        return record;
    }

    private void idle(Duration max) {
        lock.lock();
        try {
            if (store.outboxDepth() == 0 && running) {
                work.await(max.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
