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
            List<ChunkRecord> chunks) {
    }

    /** One change of a batch; a batch commits in one transaction. */
    public sealed interface Mutation permits Upsert, Delete {
        String docId();
    }

    public record Upsert(DocumentRecord document) implements Mutation {
        @Override
        public String docId() {
            return document.docId();
        }
    }

    /** Deletes a live document; when {@code collection} is not null only if it belongs to that collection. */
    public record Delete(String docId, String collection) implements Mutation {
    }

    /** Outcome of one mutation: the stored document for an upsert, {@code deleted} for a delete. */
    public record MutationResult(StoredDocument stored, boolean deleted) {
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
