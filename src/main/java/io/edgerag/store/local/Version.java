package io.edgerag.store.local;

import java.util.Comparator;
import java.util.Objects;

/**
 * The version of one document write: a hybrid logical clock timestamp and the id of the node that
 * wrote it. Versions are totally ordered (hlc first, node id to break ties), so every node that sees
 * the same set of writes picks the same winner.
 *
 * @param hlc    hybrid logical clock value (physical milliseconds in the high 48 bits, a logical
 *               counter in the low 16), see {@code io.edgerag.sync.HybridLogicalClock}
 * @param nodeId the node that made the write
 */
public record Version(long hlc, String nodeId) implements Comparable<Version> {

    private static final Comparator<Version> ORDER =
            Comparator.comparingLong(Version::hlc).thenComparing(Version::nodeId);

    /** Stores written before versions carried a node id read back with this one. */
    public static final String UNKNOWN_NODE = "";

    public Version {
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /** Wall-clock milliseconds the version was made at (its physical part). */
    public long physicalMillis() {
        return hlc >>> 16;
    }

    public boolean isAfter(Version other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Version other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return hlc + "@" + nodeId;
    }
}
