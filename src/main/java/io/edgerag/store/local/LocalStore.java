package io.edgerag.store.local;

import java.util.List;
import java.util.Optional;

/**
 * The appliance's local tier: documents, their chunks and vectors, durable on disk and searchable
 * at once (read-after-write).
 *
 * <p>Contract every implementation keeps:
 * <ul>
 *   <li>{@link #upsert} and {@link #delete} return only after the change is durable; a crash after
 *       they return loses nothing, a crash before leaves the previous state intact.</li>
 *   <li>An upsert replaces all chunks of the document atomically: a search sees either the old
 *       chunks or the new ones, never a mix.</li>
 *   <li>A deleted document never reappears in a search, not after restart nor after compaction.</li>
 *   <li>Bad input (wrong dimension, NaN/Inf, empty text, k out of range) throws
 *       {@link InvalidStoreRequestException} and leaves the store unchanged.</li>
 * </ul>
 * Methods block (disk, JNI): call them from worker threads only.
 */
public interface LocalStore {

    StoredDocument upsert(DocumentWrite write);

    /** @return true when a live document was deleted, false when it did not exist. */
    boolean delete(String docId);

    Optional<StoredDocument> get(String docId);

    /** Changes applied to {@code docId} on this node, oldest first; empty when it never existed here. */
    List<StoreRecords.AppliedChange> history(String docId);

    List<ChunkHit> search(float[] query, SearchRequest request);

    /**
     * The {@code wanted} rankings of one query, each top {@code request.k()} under {@code request.filter()},
     * from one consistent view (a concurrent write is in both or in neither). Every hit carries its
     * cosine to {@code queryVector} (required); keyword hits also their BM25 score for {@code queryText}.
     */
    RankedHits search(float[] queryVector, String queryText, SearchRequest request, RankedHits.Wanted wanted);

    /** Number of live chunks. */
    long chunkCount();

    /** Vector dimension the store was opened with. */
    int dimension();

    /**
     * Copies the durable state of this instant — documents, chunk texts and vectors, versions, change log,
     * outbox — into {@code targetDir} (created; must not exist yet). The indexes are not copied: a store
     * opened over a restored copy rebuilds them from it. Writes go on meanwhile.
     */
    void backupTo(java.nio.file.Path targetDir);
}
