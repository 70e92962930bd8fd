package io.edgerag.sync.cloud;

import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.local.ConflictRule;
import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.Version;

import java.util.Collection;
import java.util.Map;

/**
 * The decisions of the cloud sink and the reconciler, kept free of I/O so they can be tested alone.
 * Both use {@link ConflictRule}, the rule every edge applies: the greater (hlc, nodeId) wins, and at an
 * equal version a tombstone wins.
 */
public final class CloudVersions {

    private CloudVersions() {
    }

    /** What the sink does with an event, given the head the cloud holds for its document. */
    public enum SinkDecision { APPLY, DUPLICATE, STALE }

    public static SinkDecision decide(DocState incoming, CloudHead stored) {
        if (stored == null || ConflictRule.wins(incoming, stored.state())) {
            return SinkDecision.APPLY;
        }
        return incoming.version().equals(stored.version()) ? SinkDecision.DUPLICATE : SinkDecision.STALE;
    }

    /** The version written in a record's metadata, or null when it has none or an unreadable one. */
    public static Version versionOf(Map<String, String> metadata) {
        String hlc = metadata.get(CloudRecord.VERSION_HLC);
        String node = metadata.get(CloudRecord.VERSION_NODE);
        if (hlc == null || node == null || node.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(hlc);
            return value > 0 ? new Version(value, node) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** How the chunks of one document in the cloud relate to what the log carried for it. */
    public enum ReconcileState {
        /** The chunks carry exactly the version the log last carried (a live one): nothing to do. */
        IN_SYNC,
        /**
         * The chunks carry one version, older than (or tombstoned at) the log's: the log is ahead and
         * the sink writes its state; a reconciler publishing the older version would lose anyway.
         */
        BEHIND,
        /** Written in the cloud directly: a version the log never carried, a newer one, or none. */
        DIRECT_WRITE
    }

    /**
     * @param chunkVersions the version of each chunk of the document in the cloud (null for a chunk with none)
     * @param head          what the log carried for it, null when it never carried the document
     */
    public static ReconcileState classify(Collection<Version> chunkVersions, CloudHead head) {
        Version common = common(chunkVersions);
        if (common == null || head == null) {
            return ReconcileState.DIRECT_WRITE;
        }
        int c = common.compareTo(head.version());
        if (c == 0) {
            return head.deleted() ? ReconcileState.BEHIND : ReconcileState.IN_SYNC;
        }
        return c < 0 ? ReconcileState.BEHIND : ReconcileState.DIRECT_WRITE;
    }

    /** The one version every chunk carries; null when some chunk carries none or they disagree. */
    public static Version common(Collection<Version> chunkVersions) {
        Version common = null;
        for (Version v : chunkVersions) {
            if (v == null || (common != null && !common.equals(v))) {
                return null;
            }
            common = v;
        }
        return common;
    }
}
