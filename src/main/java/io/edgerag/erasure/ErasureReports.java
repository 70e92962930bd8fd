package io.edgerag.erasure;

import io.edgerag.common.Blocking;
import io.edgerag.consistency.ConsistencyConfig;
import io.edgerag.consistency.PeerAcks;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.LocalStoreSettings;
import io.edgerag.store.local.Version;
import io.edgerag.sync.SyncConfig;
import io.edgerag.sync.cloud.CloudHead;
import io.edgerag.sync.cloud.CloudLedger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link ErasureReport}s from the state the consistency levels already keep, asked afresh each
 * time: this node's tombstone and chunk rows (the store), the peers' acknowledgements ({@link PeerAcks},
 * what an {@code all} write waits on) and the cloud's version record of the document ({@link CloudLedger},
 * what the sink and a {@code cloud} write compare against). No second bookkeeping of deletions.
 */
@ApplicationScoped
public class ErasureReports {

    private final DurableVectorStore store;
    private final PeerAcks peers;
    private final SyncConfig sync;
    private final CloudVectorStore cloud;
    private final CloudLedger ledger;
    private final ConsistencyConfig consistency;
    private final Duration purgeWithin;

    public ErasureReports(DurableVectorStore store, PeerAcks peers, SyncConfig sync, CloudVectorStore cloud,
                          CloudLedger ledger, ConsistencyConfig consistency, LocalStoreSettings settings) {
        this.store = store;
        this.peers = peers;
        this.sync = sync;
        this.cloud = cloud;
        this.ledger = ledger;
        this.consistency = consistency;
        this.purgeWithin = settings.erasurePurgeWithin();
    }

    /** 404 for an id this node never knew, 409 while the document is live here. */
    public Uni<ErasureReport> report(String docId) {
        return Blocking.call(() -> tombstone(docId))
                .flatMap(version -> Blocking.call(() -> store.holdsChunksOf(docId))
                        .flatMap(held -> cloudStatus(docId, version).map(c -> assemble(docId, version, !held, c))));
    }

    private Version tombstone(String docId) {
        DocState state = store.versionOf(docId)
                .orElseThrow(() -> new NotFoundException("No document with id '" + docId + "' was ever known on this node"));
        if (!state.deleted()) {
            throw new WebApplicationException("Document '" + docId + "' is not deleted on this node (version "
                    + state.version().hlc() + "): delete it first, or wait until its deletion arrives here",
                    Response.Status.CONFLICT);
        }
        return state.version();
    }

    private ErasureReport assemble(String docId, Version version, boolean purged, ErasureReport.Cloud cloudStatus) {
        Instant deletedAt = Instant.ofEpochMilli(version.physicalMillis());
        boolean bounded = !purgeWithin.isZero();
        ErasureReport.Local local = new ErasureReport.Local(true, purged, purgeWithin.toString(),
                bounded ? deletedAt.plus(purgeWithin) : null);
        List<ErasureReport.Node> nodes = sync.enabled() ? peers.views(docId).stream().map(p -> new ErasureReport.Node(p.node(),
                p.acknowledged() != null && p.acknowledged().compareTo(version) >= 0, p.known(),
                Instant.ofEpochMilli(p.lastSeen()), p.acknowledged() == null ? null : Long.toString(p.acknowledged().hlc())))
                .toList() : List.of();
        boolean complete = nodes.stream().allMatch(n -> n.confirmed() || !n.known())
                && !ErasureReport.Cloud.PENDING.equals(cloudStatus.status())
                && !ErasureReport.Cloud.UNREACHABLE.equals(cloudStatus.status());
        return new ErasureReport(docId, Long.toString(version.hlc()), version.nodeId(), deletedAt, local, sync.enabled(),
                nodes, cloudStatus, complete);
    }

    private Uni<ErasureReport.Cloud> cloudStatus(String docId, Version version) {
        if (!cloud.enabled()) {
            return Uni.createFrom().item(new ErasureReport.Cloud(ErasureReport.Cloud.NOT_CONFIGURED, null,
                    "no cloud store is configured (edgerag.cloud.store)"));
        }
        return Blocking.call(() -> ledger.heads(List.of(docId)))
                .map(heads -> cloudStatus(heads, docId, version))
                .ifNoItem().after(consistency.cloudTimeout()).recoverWithItem(() -> new ErasureReport.Cloud(
                        ErasureReport.Cloud.UNREACHABLE, null, "the cloud store did not answer within " + consistency.cloudTimeout()))
                .onFailure().recoverWithItem(e -> new ErasureReport.Cloud(ErasureReport.Cloud.UNREACHABLE, null,
                        "the cloud store failed: " + e.getMessage()));
    }

    private static ErasureReport.Cloud cloudStatus(Map<String, CloudHead> heads, String docId, Version version) {
        CloudHead head = heads.get(docId);
        if (head == null) {
            return new ErasureReport.Cloud(ErasureReport.Cloud.PENDING, null,
                    "the cloud holds no version of this document yet (is a cloud sink running?)");
        }
        String held = Long.toString(head.version().hlc());
        if (head.version().compareTo(version) >= 0) {
            return new ErasureReport.Cloud(ErasureReport.Cloud.CONFIRMED, held,
                    head.deleted() ? "tombstone applied, chunks removed" : "superseded there by a later version");
        }
        return new ErasureReport.Cloud(ErasureReport.Cloud.PENDING, held, "the cloud still holds an older version");
    }
}
