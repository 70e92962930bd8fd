package io.edgerag.sync;

import io.edgerag.observability.TraceContexts;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code edgerag.changes} in this node's own consumer group, a poll's worth of records at a
 * time. Unreadable events go to the dead-letter topic (acknowledged by the broker first); the rest
 * are applied in one durable transaction; only then is the batch acknowledged, which is what lets
 * the connector commit the offsets (at-least-once delivery + idempotent apply = effectively once).
 *
 * <p>A failure to apply (disk full, store closed) is retried, then fails the channel: skipping the
 * batch would commit offsets past changes this node never got.
 *
 * <p>Traces: a record that carries a W3C {@code traceparent} header (the publishing node's
 * {@code sync.publish} span) gets a {@code sync.apply} span on this node, a child of that header, so
 * write → outbox → broker → apply here is one trace. It lasts until the batch is durable and says what
 * became of the event ({@code edgerag.sync.outcome}). Records without trace context get no span.
 */
@ApplicationScoped
public class ChangeConsumer {

    private static final Logger LOG = Logger.getLogger(ChangeConsumer.class);
    private static final int ATTEMPTS = 5;

    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final ChangeApplier applier;
    private final DeadLetters deadLetters;
    private final Tracer tracer;

    private final io.edgerag.consistency.PriorityLane priority;

    public ChangeConsumer(ChangeApplier applier, DeadLetters deadLetters, Tracer tracer,
                          io.edgerag.consistency.PriorityLane priority) {
        this.priority = priority;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.tracer = tracer;
    }

    @Incoming("changes-in")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) throws Exception {
        List<ChangeEventCodec.Decoded> events = new ArrayList<>();
        List<Span> applySpans = new ArrayList<>();
        List<Span> letterSpans = new ArrayList<>();
        List<Uni<Void>> letters = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            Span span = applySpan(record);
            try {
                ChangeEventCodec.Decoded event = codec.decodeWithVectors(record.getPayload());
                applier.checkFits(event);
                events.add(event);
                applySpans.add(span);
            } catch (PoisonEventException e) {
                LOG.warnf("dead-lettering %s-%d@%d (key %s): %s", record.getTopic(), record.getPartition(),
                        DeadLetters.offsetOf(record), record.getKey(), e.getMessage());
                letters.add(deadLetters.publish(record, e.getMessage()));
                span.setAttribute("edgerag.sync.outcome", ApplyOutcome.DEAD_LETTERED.tag());
                span.setStatus(StatusCode.ERROR, e.getMessage());
                letterSpans.add(span);
            }
        }
        try {
            if (!letters.isEmpty()) {
                Uni.join().all(letters).andFailFast().onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                        .atMost(ATTEMPTS).await().atMost(Duration.ofMinutes(2));
            }
            List<ApplyOutcome> outcomes = applyWithRetries(events);
            for (int i = 0; i < applySpans.size(); i++) {
                applySpans.get(i).setAttribute("edgerag.sync.outcome", outcomes.get(i).tag());
            }
        } catch (Exception | Error e) {
            for (Span span : applySpans) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR);
            }
            throw e;
        } finally {
            applySpans.forEach(Span::end);
            letterSpans.forEach(Span::end);
        }
        return batch.ack();
    }

    /**
     * The priority lane ({@code edgerag.changes.priority}, see {@code PriorityLane}): the same apply, in a
     * consumer of its own, so a high-priority change does not wait behind the bulk backlog of the change
     * topic. Its lag is recorded apart once the batch is durable.
     */
    @Incoming("priority-in")
    @Blocking
    public CompletionStage<Void> consumePriority(KafkaRecordBatch<String, String> batch) throws Exception {
        CompletionStage<Void> done = consume(batch);
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                priority.applied(ChangeEventCodec.version(codec.decode(record.getPayload())).physicalMillis());
            } catch (PoisonEventException e) {
                // dead-lettered by consume(); no lag to record
            }
        }
        return done;
    }

    /** A {@code sync.apply} span continuing the record's trace; a no-op span when the record carries none. */
    private Span applySpan(KafkaRecord<String, String> record) {
        Context remote = TraceContexts.fromHeaders(record.getHeaders());
        if (!TraceContexts.hasSpan(remote)) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("sync.apply")
                .setParent(remote)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.getTopic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.getPartition()))
                .setAttribute("messaging.kafka.offset", DeadLetters.offsetOf(record))
                .setAttribute("edgerag.doc_id", String.valueOf(record.getKey()))
                .startSpan();
    }

    private List<ApplyOutcome> applyWithRetries(List<ChangeEventCodec.Decoded> events) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return applier.apply(events);
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    LOG.errorf(e, "cannot apply %d change events after %d attempts; stopping the sync consumer", events.size(), attempt);
                    throw e;
                }
                LOG.warnf("applying %d change events failed (%s); retry %d", events.size(), e.getMessage(), attempt);
                Thread.sleep(200L << attempt);
            }
        }
    }
}
