package io.edgerag.erasure;

import io.edgerag.audit.AuditActions;
import io.edgerag.audit.AuditEvent;
import io.edgerag.audit.AuditTrail;
import io.edgerag.common.Blocking;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.security.Caller;
import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreRecords.Delete;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.MutationResult;
import io.edgerag.store.local.Version;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Bulk delete of every live document of one source (the file, URL or system it was ingested from) that the
 * caller may see: one tombstone per document, all in one store transaction, each audited. The tombstones
 * travel like any delete (outbox → peers → cloud sink).
 */
@ApplicationScoped
public class SourceDeletion {

    /** One deleted document and its tombstone's version. */
    public record Deleted(String id, String hlc, String nodeId) {
    }

    private final DurableVectorStore store;
    private final AuditTrail audit;

    public SourceDeletion(DurableVectorStore store, AuditTrail audit) {
        this.store = store;
        this.audit = audit;
    }

    public Uni<List<Deleted>> delete(String source, Caller caller) {
        if (source == null || source.isBlank()) {
            throw new InvalidRequestException("Name the source whose documents to delete: DELETE /api/documents?source=<source>");
        }
        return Blocking.call(() -> deleteBlocking(source, caller))
                .call(deleted -> audit.recordAll(deleted.stream().map(d -> new AuditEvent(caller.name(), AuditActions.DELETE,
                        d.id(), d.hlc(), null, "by source")).toList()));
    }

    private List<Deleted> deleteBlocking(String source, Caller caller) {
        // by collection as seen now: a document moved to another collection meanwhile is left alone
        List<String> ids = new ArrayList<>();
        List<Mutation> deletes = new ArrayList<>();
        store.docIds(null, info -> source.equals(info.doc().source()) && caller.mayAccess(info.doc().collection()))
                .forEach(id -> {
                    ids.add(id);
                    deletes.add(new Delete(id, store.get(id).map(d -> d.collection()).orElse(null)));
                });
        List<MutationResult> results = store.apply(deletes);
        List<Deleted> deleted = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (results.get(i).deleted()) {
                Version v = store.versionOf(ids.get(i)).map(DocState::version).orElseThrow();
                deleted.add(new Deleted(ids.get(i), Long.toString(v.hlc()), v.nodeId()));
            }
        }
        return deleted;
    }
}
