package io.edgerag.store.cloud;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;

/**
 * The cloud tier's vector store: the global copy every edge writes to (through the sync's cloud sink)
 * and reads from when its local index is not confident.
 *
 * <p>Contract every adapter keeps (and {@code CloudVectorStoreContractTest} checks):
 * <ul>
 *   <li>One namespace per collection: nothing written to one collection is seen from another. A
 *       {@code null} or blank collection is the store's default namespace.</li>
 *   <li>A record's id is the chunkId; upsert replaces a record with the same id wholesale (vector and
 *       metadata). Metadata values are strings and come back exactly as written: versions travel as
 *       decimal strings ({@link CloudRecord#VERSION_HLC}) because numeric metadata can come back
 *       altered (doubles lose the low digits of a 64-bit HLC).</li>
 *   <li>Upserts of any size are accepted; the adapter splits them into requests within the backend's
 *       limits. An upsert is not atomic across batches: a failure may leave earlier batches written,
 *       which is harmless because upserts are idempotent and the sink retries.</li>
 *   <li>Bad input (dimension mismatch, empty vector, NaN) fails with {@link InvalidCloudRequestException}
 *       and is never retried; transient failures are retried inside the adapter and surface as
 *       {@link CloudStoreUnavailableException} once retries are spent.</li>
 *   <li>Every method returns at once; the work happens when the {@link Uni} is subscribed, never on the
 *       caller's thread, so callers on the event loop may use it.</li>
 * </ul>
 * Adapters are CDI beans named by {@code edgerag.cloud.store} ({@code @Named}); {@code none} is
 * {@link NoCloudVectorStore}, which {@linkplain #enabled() reports itself disabled}.
 */
public interface CloudVectorStore {

    /** The adapter's configuration name ({@code none}, {@code pinecone}). */
    String name();

    /** False for the standalone stand-in-for-nothing: callers skip the cloud instead of calling it. */
    default boolean enabled() {
        return true;
    }

    /** Writes (or replaces) the records, in as many requests as the backend's limits need. */
    Uni<Void> upsert(String collection, List<CloudRecord> records);

    /** Deletes the records with these ids; ids that do not exist are ignored. */
    Uni<Void> deleteByIds(String collection, List<String> ids);

    /** Deletes every chunk of a document (records whose {@link CloudRecord#DOC_ID} metadata equals docId). */
    Uni<Void> deleteByDocId(String collection, String docId);

    /**
     * The {@code topK} records most similar (cosine) to {@code vector}, best first, among those whose
     * metadata equals every entry of {@code filter} (empty = no filter). Matches carry metadata, not vectors.
     */
    Uni<List<CloudMatch>> query(String collection, float[] vector, int topK, Map<String, String> filter);

    /** The records with these ids that exist, with vectors and metadata; missing ids are left out. */
    Uni<List<CloudRecord>> fetch(String collection, List<String> ids);

    /**
     * One page of record ids in id order, for reconciliation: pass {@code null} as {@code pageToken}
     * for the first page and {@link IdPage#nextPageToken()} for the next. {@code prefix} may be null.
     */
    Uni<IdPage> listIds(String collection, String prefix, String pageToken, int limit);

    /** Record count of the collection and the index's dimension. */
    Uni<CloudStats> stats(String collection);
}
