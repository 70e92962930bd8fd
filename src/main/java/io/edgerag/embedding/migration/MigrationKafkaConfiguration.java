package io.edgerag.embedding.migration;

import io.edgerag.sync.NodeIdentity;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Map;
import java.util.UUID;

/**
 * Clients of the embedding control topic. Every node must read every plan and every report from the
 * beginning (the topic is compacted: the latest plan and each node's latest state): a consumer group of
 * its own per process start, committing nothing.
 */
@ApplicationScoped
public class MigrationKafkaConfiguration {

    @Produces
    @Identifier("edgerag-embedding-control-in")
    Map<String, Object> consumer(NodeIdentity node) {
        return Map.of("group.id", "edgerag-embedding-control-" + node.id() + "-" + UUID.randomUUID(),
                "client.id", "edgerag-" + node.id() + "-embedding-control-in");
    }

    @Produces
    @Identifier("edgerag-embedding-control-out")
    Map<String, Object> producer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-embedding-control-out");
    }
}
