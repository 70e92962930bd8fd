package io.edgerag.sync.cloud;

import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.cloud.IdPage;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blocking access to what the sink keeps in the cloud: the {@link CloudHead}s in the versions namespace
 * and the chunk ids of a document. Also the lock that keeps this process's sink and reconciler from
 * looking at a document while the other is half-way through writing it.
 */
@ApplicationScoped
public class CloudLedger {

    /** Ids per fetch request: well inside Pinecone's limits on one request. */
    static final int FETCH_BATCH = 100;
    /** Bound on one blocking cloud operation (the adapter's own timeouts and retries come first). */
    static final Duration AWAIT = Duration.ofMinutes(2);

    private final CloudVectorStore cloud;
    private final CloudSinkConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int dimension;

    public CloudLedger(CloudVectorStore cloud, CloudSinkConfig config) {
        this.cloud = cloud;
        this.config = config;
    }

    public ReentrantLock lock() {
        return lock;
    }

    public CloudVectorStore cloud() {
        return cloud;
    }

    /** The heads of these documents that exist. */
    public Map<String, CloudHead> heads(Collection<String> docIds) {
        Map<String, CloudHead> heads = new HashMap<>();
        for (CloudRecord r : fetch(config.versionsNamespace(), List.copyOf(docIds))) {
            dimension = r.vector().length;
            CloudHead head = CloudHead.fromRecord(r);
            if (head != null) {
                heads.put(head.docId(), head);
            }
        }
        return heads;
    }

    /** Writes (replaces) a head; this is the sink's commit point for one document. */
    public void write(CloudHead head, int dimensionHint) {
        int dim = dimensionHint > 0 ? dimensionHint : dimension();
        cloud.upsert(config.versionsNamespace(), List.of(head.toRecord(dim))).await().atMost(AWAIT);
        dimension = dim;
    }

    /** The index's dimension (one for every namespace), asked once. */
    public int dimension() {
        int d = dimension;
        if (d <= 0) {
            d = cloud.stats(null).await().atMost(AWAIT).dimension();
            dimension = d;
        }
        return d;
    }

    /** Ids of the chunks of {@code docId} in a collection: {@code docId#<anything without '#'>}. */
    public List<String> chunkIds(String collection, String docId) {
        String prefix = docId + "#";
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            IdPage page = cloud.listIds(collection, prefix, token, 100).await().atMost(AWAIT);
            for (String id : page.ids()) {
                if (id.startsWith(prefix) && id.indexOf('#', prefix.length()) < 0) {
                    ids.add(id);
                }
            }
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        return ids;
    }

    /** Records with these ids, in as many requests as needed. */
    public List<CloudRecord> fetch(String collection, List<String> ids) {
        List<CloudRecord> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += FETCH_BATCH) {
            out.addAll(cloud.fetch(collection, ids.subList(from, Math.min(ids.size(), from + FETCH_BATCH)))
                    .await().atMost(AWAIT));
        }
        return out;
    }

    public void delete(String collection, List<String> ids) {
        for (int from = 0; from < ids.size(); from += FETCH_BATCH) {
            cloud.deleteByIds(collection, ids.subList(from, Math.min(ids.size(), from + FETCH_BATCH))).await().atMost(AWAIT);
        }
    }

    String versionsNamespace() {
        return config.versionsNamespace();
    }
}
