package io.edgerag.consistency;

import io.edgerag.sync.NodeIdentity;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Map;
import java.util.UUID;

/**
 * Clients of the acknowledgement topic. Every edge must see every acknowledgement, and only the live
 * ones matter: a consumer group of its own per process start, reading from the end, committing nothing.
 */
@ApplicationScoped
public class ConsistencyKafkaConfiguration {

    @Produces
    @Identifier("edgerag-acks-in")
    Map<String, Object> consumer(NodeIdentity node) {
        return Map.of("group.id", "edgerag-acks-" + node.id() + "-" + UUID.randomUUID(),
                "client.id", "edgerag-" + node.id() + "-acks-in");
    }

    /** The priority lane: like the change topic, a group of this node's own (committed: nothing is skipped). */
    @Produces
    @Identifier("edgerag-priority-in")
    Map<String, Object> priorityConsumer(NodeIdentity node) {
        return Map.of("group.id", "edgerag-" + node.id() + "-priority", "client.id", "edgerag-" + node.id() + "-priority-in");
    }

    @Produces
    @Identifier("edgerag-priority-out")
    Map<String, Object> priorityProducer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-priority-out");
    }

    @Produces
    @Identifier("edgerag-acks-out")
    Map<String, Object> producer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-acks-out");
    }
}
