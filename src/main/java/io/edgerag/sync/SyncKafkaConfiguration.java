package io.edgerag.sync;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Map;

/**
 * Kafka client settings that depend on this node's identity, which configuration files cannot know
 * when the node id is generated: each node reads the change topic in a consumer group of its own
 * (every node must see every change), and names its clients after itself in broker logs and metrics.
 * Referenced from application.properties by {@code kafka-configuration}.
 */
@ApplicationScoped
public class SyncKafkaConfiguration {

    @Produces
    @Identifier("edgerag-changes-in")
    Map<String, Object> consumer(NodeIdentity node) {
        return Map.of("group.id", "edgerag-" + node.id(), "client.id", "edgerag-" + node.id() + "-changes-in");
    }

    @Produces
    @Identifier("edgerag-changes-out")
    Map<String, Object> producer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-changes-out");
    }

    @Produces
    @Identifier("edgerag-changes-dlq")
    Map<String, Object> deadLetterProducer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-changes-dlq");
    }

    /** The cloud sink's group is fleet-wide ({@code group.id} in application.properties); only the client is per node. */
    @Produces
    @Identifier("edgerag-cloud-sink-in")
    Map<String, Object> cloudSinkConsumer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-cloud-sink-in");
    }

    @Produces
    @Identifier("edgerag-cloud-reconcile-out")
    Map<String, Object> reconcileProducer(NodeIdentity node) {
        return Map.of("client.id", "edgerag-" + node.id() + "-cloud-reconcile-out");
    }
}
