package io.edgerag.sync;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;

/**
 * The stream behind one outgoing Kafka channel, fed by {@link #send} and acknowledged per record.
 *
 * <p>Why not an {@code Emitter}: an emitter must be connected to an enabled channel at start, and
 * the same binary runs standalone with the Kafka channels disabled. An {@code @Outgoing} method
 * returning {@link #stream()} is simply left unconnected then.
 */
public final class KafkaOutlet {

    private final UnicastProcessor<Message<String>> processor = UnicastProcessor.create();

    public Multi<Message<String>> stream() {
        return processor;
    }

    /** Completes when the broker acknowledged the record, fails when the connector gave up on it. */
    public Uni<Void> send(KafkaRecord<String, String> record) {
        return Uni.createFrom().emitter(done -> {
            CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);
            processor.onNext(record
                    .withAck(() -> {
                        done.complete(null);
                        return settled;
                    })
                    .withNack(failure -> {
                        done.fail(failure);
                        return settled;
                    }));
        });
    }
}
