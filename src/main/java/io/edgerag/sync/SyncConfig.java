package io.edgerag.sync;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code edgerag.sync.*}: hybrid mode, where appliances and the cloud store converge through Kafka
 * change events. Kafka client settings themselves live under {@code kafka.*} and
 * {@code mp.messaging.*} (see application.properties).
 */
@ConfigMapping(prefix = "edgerag.sync")
public interface SyncConfig {

    /** Publish local changes to Kafka and apply the changes of other nodes. Off in standalone mode. */
    @WithDefault("false")
    boolean enabled();

    /**
     * This node's id, the tie-breaker of every version it writes. Unset: generated once and kept in
     * {@code edgerag.data-dir/node-id}, so it survives restarts. Must be unique in the fleet.
     */
    Optional<String> nodeId();

    Outbox outbox();

    Topic topic();

    /**
     * Whether chunk text travels in change events. Off for data that must not leave the box: peers then
     * get vectors and a hash of the text only (and cannot re-embed under another model).
     */
    @WithDefault("true")
    boolean shareText();

    /** A remote version made this far ahead of the local wall clock is applied but counted and logged. */
    @WithDefault("60s")
    Duration maxClockSkew();

    /**
     * How the appliance creates {@code edgerag.changes} when it does not exist (an existing topic is
     * left as it is). Compacted: the log keeps the last change of every document forever, deletes
     * included (they are ordinary records, not Kafka null tombstones), so a node offline for any time,
     * or a new one, catches up from it; see README "Hybrid mode" for the retention rules.
     */
    interface Topic {
        @WithDefault("edgerag.changes")
        String name();

        @WithDefault("6")
        int partitions();

        /** 1 for a single broker; 3 in production. */
        @WithDefault("1")
        short replicationFactor();

        /**
         * Longest time a superseded or deleted document's content stays in the log before compaction
         * removes it (Kafka's {@code max.compaction.lag.ms}): the bound on "forgotten everywhere".
         */
        @WithDefault("24h")
        Duration maxCompactionLag();

        /** How long dead letters are kept for inspection. */
        @WithDefault("14d")
        Duration deadLetterRetention();
    }

    interface Outbox {
        /**
         * Disk budget of unpublished changes. While the broker is away the outbox grows; beyond this,
         * local writes are refused with 503 (reads continue) until the relay drains it.
         */
        @WithDefault("512M")
        MemorySize budget();

        /** Changes published per round trip to the broker. */
        @WithDefault("256")
        int batchSize();

        /** How long the relay sleeps when the outbox is empty and nothing woke it. */
        @WithDefault("250ms")
        Duration idlePoll();

        /** How long one batch may wait for the broker's acknowledgements before it is retried. */
        @WithDefault("30s")
        Duration sendTimeout();

        /** Longest pause between retries while the broker is unreachable (backoff doubles up to this). */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
