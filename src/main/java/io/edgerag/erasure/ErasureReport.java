package io.edgerag.erasure;

import java.time.Instant;
import java.util.List;

/**
 * Where the deletion of one document has been confirmed: the answer of {@code GET /api/documents/{id}/erasure}.
 *
 * @param hlc               the tombstone's version: its HLC as a decimal string ...
 * @param nodeId            ... and the node that made it
 * @param deletedAt          when the delete was made (the version's physical time)
 * @param hybrid             whether this node syncs with others (false: {@code nodes} is empty by design)
 * @param nodes              every other edge heard from since this node started, and whether it acknowledged
 *                           the tombstone (or a later version)
 * @param complete           confirmed here, by every currently known node and by the cloud (or no cloud is configured)
 */
public record ErasureReport(String docId, String hlc, String nodeId, Instant deletedAt, Local local, boolean hybrid,
                            List<Node> nodes, Cloud cloud, boolean complete) {

    /**
     * This node: the tombstone is applied (searches here never return the document again); {@code purged}
     * says whether its text and vectors have also left the disk and the FAISS/Lucene indexes, which the
     * compaction due by {@code purgeBy} does.
     *
     * @param purgeWithin the configured bound ({@code edgerag.store.erasure-purge-within}), ISO-8601; PT0S = none
     * @param purgeBy     deletedAt + purgeWithin; null without a bound
     */
    public record Local(boolean confirmed, boolean purged, String purgeWithin, Instant purgeBy) {
    }

    /**
     * @param confirmed    it acknowledged applying the tombstone or a later version of the document
     * @param known        heard from within {@code edgerag.consistency.peer-expiry} (an unknown node may be gone)
     * @param acknowledged the latest version of the document it acknowledged (HLC), null when none was heard
     */
    public record Node(String node, boolean confirmed, boolean known, Instant lastSeen, String acknowledged) {
    }

    /**
     * @param status  {@code confirmed} (the cloud's version record of the document is this tombstone or later:
     *                its chunks were removed before it was written), {@code pending}, {@code not configured}
     *                or {@code unreachable}
     * @param version the version the cloud holds for the document (HLC), null when none or unknown
     */
    public record Cloud(String status, String version, String detail) {

        public static final String CONFIRMED = "confirmed";
        public static final String PENDING = "pending";
        public static final String NOT_CONFIGURED = "not configured";
        public static final String UNREACHABLE = "unreachable";
    }
}
