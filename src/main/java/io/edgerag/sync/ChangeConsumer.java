package io.edgerag.sync;

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
 */
@ApplicationScoped
public class ChangeConsumer {

    private static final Logger LOG = Logger.getLogger(ChangeConsumer.class);
    private static final int ATTEMPTS = 5;

    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final ChangeApplier applier;
    private final DeadLetters deadLetters;

    public ChangeConsumer(ChangeApplier applier, DeadLetters deadLetters) {
        this.applier = applier;
        this.deadLetters = deadLetters;
    }

    @Incoming("changes-in")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) throws Exception {
        List<ChangeEventCodec.Decoded> events = new ArrayList<>();
        List<Uni<Void>> letters = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                ChangeEventCodec.Decoded event = codec.decodeWithVectors(record.getPayload());
                applier.checkFits(event);
                events.add(event);
            } catch (PoisonEventException e) {
                LOG.warnf("dead-lettering %s-%d@%d (key %s): %s", record.getTopic(), record.getPartition(),
                        DeadLetters.offsetOf(record), record.getKey(), e.getMessage());
                letters.add(deadLetters.publish(record, e.getMessage()));
            }
        }
        if (!letters.isEmpty()) {
            Uni.join().all(letters).andFailFast().onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .atMost(ATTEMPTS).await().atMost(Duration.ofMinutes(2));
        }
        applyWithRetries(events);
        return batch.ack();
    }

    private void applyWithRetries(List<ChangeEventCodec.Decoded> events) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                applier.apply(events);
                return;
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
