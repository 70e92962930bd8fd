package io.edgerag.sync;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import java.nio.charset.StandardCharsets;

/**
 * Publishes events this node cannot apply to {@code edgerag.changes.dlq}, byte for byte, with the
 * reason and where they came from in headers, so the partition keeps flowing and an operator can
 * inspect, fix and replay them.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";

    private final KafkaOutlet outlet = new KafkaOutlet();
    private final NodeIdentity node;
    private final SyncMetrics metrics;

    public DeadLetters(NodeIdentity node, SyncMetrics metrics) {
        this.node = node;
        this.metrics = metrics;
    }

    public static long offsetOf(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    /** Completes when the broker has acknowledged the dead letter. */
    public Uni<Void> publish(KafkaRecord<String, String> original, String reason) {
        KafkaRecord<String, String> letter = KafkaRecord.of(original.getKey(), original.getPayload())
                .withHeader(REASON, reason)
                .withHeader("dead-letter-topic", original.getTopic())
                .withHeader("dead-letter-partition", Integer.toString(original.getPartition()))
                .withHeader("dead-letter-offset", Long.toString(offsetOf(original)))
                .withHeader("dead-letter-node", node.id().getBytes(StandardCharsets.UTF_8));
        return outlet.send(letter).invoke(Unchecked.consumer(ignored -> metrics.deadLettered()));
    }

    @Outgoing("changes-dlq")
    Multi<Message<String>> letters() {
        return outlet.stream();
    }
}
