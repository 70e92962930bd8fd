package io.edgerag.embedding.migration;

import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreRecords;
import io.edgerag.store.local.StoredDocument;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * After a node swapped models (cut-over, or rollback after one), it writes each live document whose current
 * version it wrote once more, unchanged but for the vectors (the served model's), at a new version. Every
 * document has one such owner, so once every node swapped, the change log carries every document in the new
 * model: the cloud sink overwrites the cloud's records with them (the cloud namespace moves too and ends with
 * one model's records), and peers apply them directly once they serve that model (before, they re-embed the
 * text and keep these vectors as their shadow ones). Documents a node writes after its swap are in the new
 * model already.
 */
final class LogRepublisher {

    private static final Logger LOG = Logger.getLogger(LogRepublisher.class);

    private final DurableVectorStore store;
    private final String self;
    private final Deque<String> pending = new ArrayDeque<>();
    private int written;

    LogRepublisher(DurableVectorStore store, String self) {
        this.store = store;
        this.self = self;
    }

    synchronized void begin() {
        pending.clear();
        for (String docId : store.docIds(null, null)) {
            store.get(docId).filter(d -> self.equals(d.version().nodeId())).ifPresent(d -> pending.add(docId));
        }
        written = 0;
        LOG.infof("re-publishing the %d documents this node wrote last, in %s, through the change log", pending.size(),
                store.activeEmbeddingModel());
    }

    /** Writes up to {@code n} documents again; false once none is left. */
    synchronized boolean republishBatch(int n) {
        String model = store.activeEmbeddingModel();
        List<StoreRecords.Mutation> batch = new ArrayList<>();
        while (!pending.isEmpty() && batch.size() < Math.max(1, n)) {
            again(pending.poll(), model).ifPresent(batch::add);
        }
        if (!batch.isEmpty()) {
            store.apply(batch);
            written += batch.size();
        }
        if (pending.isEmpty()) {
            LOG.infof("re-published %d documents in %s", written, model);
            return false;
        }
        return true;
    }

    /** The document as stored now, as a local write in {@code model}; empty when it is gone or in another model. */
    private Optional<StoreRecords.Mutation> again(String docId, String model) {
        Optional<StoredDocument> doc = store.get(docId);
        if (doc.isEmpty() || !model.equals(doc.get().embeddingModel()) || !self.equals(doc.get().version().nodeId())) {
            return Optional.empty();
        }
        return store.changeAt(docId, doc.get().version())
                .filter(c -> c.type() == StoreRecords.ChangeType.UPSERT && c.chunks() != null && !c.chunks().isEmpty())
                .map(c -> new StoreRecords.Upsert(new StoreRecords.DocumentRecord(c.docId(), c.title(), c.source(),
                        c.collection(), c.metadata(), c.contentHash(), model, c.schemaVersion(), c.chunks())));
    }
}
