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

    @Produces
    @Identifier("edgerag-acks-out")
    Map<String, Object> producer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-acks-out");
    }
}
