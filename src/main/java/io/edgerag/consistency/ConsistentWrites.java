package io.edgerag.consistency;

import io.edgerag.common.Blocking;
import io.edgerag.store.local.Version;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Waits, after a write is durable on this edge, for what its level asks: nothing ({@code local}), the cloud
 * store ({@code cloud}, see {@link CloudWrites}) or every currently-known edge ({@code all}, see
 * {@link PeerAcks}), within the level's timeout. A level not met in time is reported with what is
 * pending, never downgraded silently; the write stays durable here and converges like any other.
 */
@ApplicationScoped
public class ConsistentWrites {

    private static final Logger LOG = Logger.getLogger(ConsistentWrites.class);

    private final ConsistencyConfig config;
    private final CloudWrites cloud;
    private final PeerAcks peers;
    private final ConsistencyMetrics metrics;
    private final WriteLevel defaultLevel;

    public ConsistentWrites(ConsistencyConfig config, CloudWrites cloud, PeerAcks peers, ConsistencyMetrics metrics) {
        this.config = config;
        this.cloud = cloud;
        this.peers = peers;
        this.metrics = metrics;
        this.defaultLevel = WriteLevel.parse(config.defaultWrite(), WriteLevel.LOCAL);
        config.collectionWrite().values().forEach(v -> WriteLevel.parse(v, WriteLevel.LOCAL)); // fail at start, not per write
    }

    /** The level a write asked for, else its collection's default, else the configured default. */
    public WriteLevel level(String requested, String collection) {
        WriteLevel fallback = collection == null ? defaultLevel
                : WriteLevel.parse(config.collectionWrite().get(collection), defaultLevel);
        return WriteLevel.parse(requested, fallback);
    }

    /** Status of a write whose level was not met: 202 or 504 ({@code edgerag.consistency.unmet-status}). */
    public int unmetStatus() {
        return config.unmetStatus() == 504 ? 504 : 202;
    }

    public Uni<WriteOutcome> await(WriteLevel level, String docId, Version version) {
        long start = System.nanoTime();
        Uni<WriteOutcome> wait = switch (level) {
            case LOCAL -> Uni.createFrom().item(new WriteOutcome(level, true, List.of(), List.of(), 0, null));
            case CLOUD -> cloudWait(docId, version, start);
            case ALL -> peers.awaitAll(docId, version, config.allTimeout()).map(t -> new WriteOutcome(level,
                    t.pending().isEmpty(), List.copyOf(t.targets()), List.copyOf(t.pending()), millisSince(start),
                    t.pending().isEmpty() ? null : "not acknowledged within " + config.allTimeout()));
        };
        return wait.invoke(o -> metrics.write(level, o.met(), Duration.ofMillis(o.waitedMs())));
    }

    private Uni<WriteOutcome> cloudWait(String docId, Version version, long start) {
        List<String> target = List.of("cloud");
        if (!cloud.available()) {
            return Uni.createFrom().item(new WriteOutcome(WriteLevel.CLOUD, false, target, target, 0,
                    "no cloud store is configured (edgerag.cloud.store)"));
        }
        return Blocking.call(() -> cloud.write(docId, version))
                .map(outcome -> new WriteOutcome(WriteLevel.CLOUD, true, target, List.of(), millisSince(start), null))
                .ifNoItem().after(config.cloudTimeout()).recoverWithItem(() -> new WriteOutcome(WriteLevel.CLOUD, false,
                        target, target, millisSince(start), "the cloud store did not apply it within " + config.cloudTimeout()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("cloud-level write of %s not applied in the cloud: %s", docId, e.getMessage());
                    return new WriteOutcome(WriteLevel.CLOUD, false, target, target, millisSince(start),
                            "the cloud store failed: " + e.getMessage());
                });
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
