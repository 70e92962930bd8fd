package io.edgerag.consistency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** {@code edgerag.consistency.*}: write and read consistency levels (README "Consistency levels"). */
@ConfigMapping(prefix = "edgerag.consistency")
public interface ConsistencyConfig {

    /** Level of a write that names none and whose collection has no default of its own: local | cloud | all. */
    @WithDefault("local")
    String defaultWrite();

    /** Per-collection default write level, e.g. {@code edgerag.consistency.collection-write.alerts=all}. */
    Map<String, String> collectionWrite();

    /** How long a {@code cloud} write waits for the cloud store before it is answered as pending. */
    @WithDefault("10s")
    Duration cloudTimeout();

    /** How long an {@code all} write waits for the acknowledgements of the known edges. */
    @WithDefault("10s")
    Duration allTimeout();

    /**
     * Status of a write whose level was not met in time: 202 (durable here, pending targets listed in the
     * body) or 504 (a problem that lists them). The write itself is durable locally either way and converges.
     */
    @WithDefault("202")
    int unmetStatus();

    /** Longest wait of a read that presents a token this node has not applied yet; then the cloud answers. */
    @WithDefault("2s")
    Duration readWait();

    /** Acknowledgement topic (hybrid mode): heartbeats and "applied" notices of every edge. */
    @WithDefault("edgerag.acks")
    String acksTopic();

    /** How often this edge announces itself on the acknowledgement topic. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /**
     * A peer heard from within this time is "currently known": an {@code all} write waits for it (and
     * reports it pending when it is down). A peer silent for longer has left the fleet as far as
     * {@code all} is concerned.
     */
    @WithDefault("5m")
    Duration peerExpiry();

    /**
     * Priority lane topic: high-priority writes ({@code "priority": "high"}, or a collection listed in
     * {@code priority-collections}) are also published here at once by the writer, and every edge applies
     * this topic in a consumer of its own, ahead of the bulk backlog of {@code edgerag.changes}.
     */
    @WithDefault("edgerag.changes.priority")
    String priorityTopic();

    /** Collections whose writes always take the priority lane (e.g. alerts). */
    java.util.Optional<java.util.List<String>> priorityCollections();

    /** How long a priority write waits for the broker's acknowledgement on the priority lane. */
    @WithDefault("5s")
    Duration prioritySendTimeout();
}
