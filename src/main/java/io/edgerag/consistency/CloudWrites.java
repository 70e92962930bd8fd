package io.edgerag.consistency;

import io.edgerag.security.EgressPolicy;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.local.ConflictRule;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.NodeIdentity;
import io.edgerag.sync.PoisonEventException;
import io.edgerag.sync.SyncConfig;
import io.edgerag.sync.cloud.CloudSink;
import io.edgerag.sync.cloud.SinkOutcome;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The {@code cloud} write level: after the local commit, this edge applies the change to the cloud store
 * itself, through the cloud sink's own apply ({@link CloudSink#applyDirect}: the same version check, the
 * same records, the same head), built from exactly what the outbox publishes (egress policy, text sharing).
 * Waiting for the fleet's sink instead would need a feedback channel from it and would wait behind its
 * whole backlog; writing directly costs one cloud round trip set and is idempotent with the sink, which
 * later sees the same version and counts it a duplicate.
 */
@ApplicationScoped
public class CloudWrites {

    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final DurableVectorStore store;
    private final EgressPolicy egress;
    private final NodeIdentity node;
    private final SyncConfig sync;
    private final CloudSink sink;
    private final CloudVectorStore cloud;

    public CloudWrites(DurableVectorStore store, EgressPolicy egress, NodeIdentity node, SyncConfig sync, CloudSink sink,
                       CloudVectorStore cloud) {
        this.store = store;
        this.egress = egress;
        this.node = node;
        this.sync = sync;
        this.sink = sink;
        this.cloud = cloud;
    }

    public boolean available() {
        return cloud.enabled();
    }

    /**
     * Blocking. Applies the document at {@code version} (or the later version that superseded it here) to
     * the cloud; throws when the cloud refuses or cannot be reached.
     */
    public SinkOutcome write(String docId, Version version) {
        DocumentChange change = store.changeAt(docId, version)
                .or(() -> current(docId))
                .orElseThrow(() -> new IllegalStateException("document " + docId + " has no state on this node"));
        String payload = codec.encode(egress.outbound(change), node.id(), sync.shareText());
        ChangeEvent event;
        try {
            event = codec.decode(payload);
        } catch (PoisonEventException e) {
            throw new IllegalStateException("change of " + docId + " does not encode: " + e.getMessage(), e);
        }
        try {
            return sink.applyDirect(event);
        } catch (PoisonEventException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private Optional<DocumentChange> current(String docId) {
        return store.versionOf(docId).map(ConflictRule.DocState::version).flatMap(v -> store.changeAt(docId, v));
    }
}
