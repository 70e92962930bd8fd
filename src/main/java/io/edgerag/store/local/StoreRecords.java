package io.edgerag.store.local;

import dev.langchain4j.data.document.Metadata;
import java.util.List;
import java.util.Map;

/** The engine-level write and read model of {@link DurableVectorStore}, shared by both adapters. */
public final class StoreRecords {

    private StoreRecords() {
    }

    /** A chunk as written: {@code text} may be null only for embedding-store entries without a segment. */
    public record ChunkRecord(String chunkId, String text, Map<String, Object> metadata, float[] vector) {
    }

    /** A document and all its chunks; an upsert replaces every chunk the document had. */
    public record DocumentRecord(String docId, String title, String source, String collection,
            Map<String, String> metadata, String contentHash, String embeddingModel, int schemaVersion,
            List<ChunkRecord> chunks, ShadowVectors shadow) {

        public DocumentRecord(String docId, String title, String source, String collection,
                Map<String, String> metadata, String contentHash, String embeddingModel, int schemaVersion,
                List<ChunkRecord> chunks) {
            this(docId, title, source, collection, metadata, contentHash, embeddingModel, schemaVersion, chunks, null);
        }
    }

    /**
     * During an embedding migration, the same chunks embedded with the store's other model (one vector per
     * chunk, in chunk order), so a write lands in both indexes at once.
     */
    public record ShadowVectors(String model, List<float[]> vectors) {
    }

    /** One change of a batch; a batch commits in one transaction. */
    public sealed interface Mutation permits Upsert, Delete {
        String docId();
    }

    /**
     * Replaces a document. {@code remoteVersion} is null for a write made on this node (the store gives
     * it a new version and puts it in the outbox); a change applied from another node carries the
     * version it was made with and is applied only when it wins under {@link ConflictRule}.
     */
    public record Upsert(DocumentRecord document, Version remoteVersion) implements Mutation {
        public Upsert(DocumentRecord document) {
            this(document, null);
        }

        @Override
        public String docId() {
            return document.docId();
        }
    }

    /**
     * Deletes a document; when {@code collection} is not null only if it belongs to that collection.
     * A remote delete ({@code remoteVersion} not null) leaves a tombstone even for a document this
     * node never saw, so that an older upsert arriving later cannot bring it back.
     */
    public record Delete(String docId, String collection, Version remoteVersion) implements Mutation {
        public Delete(String docId, String collection) {
            this(docId, collection, null);
        }
    }

    /**
     * Outcome of one mutation: the stored document for an upsert, {@code deleted} for a delete;
     * {@code applied} is false for a remote change that lost to the stored version {@code kept}
     * (nothing changed); {@code kept} equal to the change's version means it was already applied.
     */
    public record MutationResult(StoredDocument stored, boolean deleted, boolean applied, Version kept) {
        public MutationResult(StoredDocument stored, boolean deleted) {
            this(stored, deleted, true, null);
        }

        static MutationResult lostTo(Version kept) {
            return new MutationResult(null, false, false, kept);
        }
    }

    /** A local change waiting in the outbox to be published, in write order. */
    /** @param traceparent W3C trace context of the write that queued it; null when it was not traced */
    public record OutboxEntry(long seq, String docId, ChangeType type, Version version, java.time.Instant at,
                              String traceparent) {
    }

    public enum ChangeType { UPSERT, DELETE }

    /** One row of a document's change history on this node. */
    public record AppliedChange(long seq, ChangeType type, Version version, java.time.Instant at) {
    }

    /**
     * A document as of one version, for publishing: every field and chunk (raw vectors) of an upsert,
     * only the identity and version of a delete.
     */
    public record DocumentChange(ChangeType type, String docId, Version version, String title, String source,
            String collection, Map<String, String> metadata, String contentHash, String embeddingModel,
            int schemaVersion, List<ChunkRecord> chunks) {
    }

    /** Document fields every hit carries; immutable, shared by the chunks of one document version. */
    public record DocInfo(String docId, String title, String source, String collection, Map<String, String> metadata) {
    }

    /** What the store keeps in memory per live position, for filters evaluated inside the search. */
    public static final class PositionInfo {
        private final String chunkId;
        private final DocInfo doc;
        private final Map<String, Object> metadata;
        private volatile Metadata lc4jMetadata;

        PositionInfo(String chunkId, DocInfo doc, Map<String, Object> metadata) {
            this.chunkId = chunkId;
            this.doc = doc;
            this.metadata = metadata;
        }

        public String chunkId() {
            return chunkId;
        }

        public DocInfo doc() {
            return doc;
        }

        /** Chunk metadata: typed values for embedding-store entries, the document's strings otherwise. */
        public Map<String, Object> metadata() {
            return metadata;
        }

        /** The same metadata as LangChain4j {@link Metadata}, built once, for {@code Filter.test}. */
        public Metadata lc4jMetadata() {
            Metadata m = lc4jMetadata;
            if (m == null) {
                m = new Metadata(metadata);
                lc4jMetadata = m;
            }
            return m;
        }
    }

    /** A search hit with everything both adapters need; {@code cosine} is exact (re-scored from the stored vector). */
    public record ChunkMatch(long position, String chunkId, String text, Map<String, Object> metadata,
            float[] vector, double cosine, DocInfo doc) {
    }
}
