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
 * After the node that announced a plan has swapped models, it writes each of its live documents once more,
 * unchanged but for the vectors (the served model's), at a new version. The change log then carries every
 * document in that model: the cloud sink overwrites the cloud's records with them (so the cloud namespace
 * moves too, and ends with one model's records), and peers apply them directly once they serve the same
 * model (before that, they re-embed the text and keep these vectors as their shadow ones).
 */
final class LogRepublisher {

    private static final Logger LOG = Logger.getLogger(LogRepublisher.class);

    private final DurableVectorStore store;
    private final Deque<String> pending = new ArrayDeque<>();
    private int written;

    LogRepublisher(DurableVectorStore store) {
        this.store = store;
    }

    synchronized void begin() {
        pending.clear();
        pending.addAll(store.docIds(null, null));
        written = 0;
        LOG.infof("re-publishing %d documents in %s through the change log", pending.size(), store.activeEmbeddingModel());
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
        if (doc.isEmpty() || !model.equals(doc.get().embeddingModel())) {
            return Optional.empty();
        }
        return store.changeAt(docId, doc.get().version())
                .filter(c -> c.type() == StoreRecords.ChangeType.UPSERT && c.chunks() != null && !c.chunks().isEmpty())
                .map(c -> new StoreRecords.Upsert(new StoreRecords.DocumentRecord(c.docId(), c.title(), c.source(),
                        c.collection(), c.metadata(), c.contentHash(), model, c.schemaVersion(), c.chunks())));
    }
}
