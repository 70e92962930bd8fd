package io.edgerag.store.local;

import java.util.List;
import java.util.Map;

/**
 * A whole document as the ingest pipeline hands it to the store: metadata plus embedded chunks, and during an
 * embedding migration the chunks embedded with the other model too ({@code shadow}, may be null).
 */
public record DocumentWrite(
        String docId,
        String title,
        String source,
        String collection,
        Map<String, String> metadata,
        String contentHash,
        String embeddingModel,
        int schemaVersion,
        List<ChunkWrite> chunks,
        StoreRecords.ShadowVectors shadow) {

    public DocumentWrite(String docId, String title, String source, String collection, Map<String, String> metadata,
                         String contentHash, String embeddingModel, int schemaVersion, List<ChunkWrite> chunks) {
        this(docId, title, source, collection, metadata, contentHash, embeddingModel, schemaVersion, chunks, null);
    }

    /** One chunk: {@code chunkId} is {@code docId#n}. */
    public record ChunkWrite(String chunkId, String text, float[] vector) {
    }
}
