package io.edgerag.store.local;

import java.util.List;
import java.util.Map;

/** A whole document as the ingest pipeline hands it to the store: metadata plus embedded chunks. */
public record DocumentWrite(
        String docId,
        String title,
        String source,
        String collection,
        Map<String, String> metadata,
        String contentHash,
        String embeddingModel,
        int schemaVersion,
        List<ChunkWrite> chunks) {

    /** One chunk: {@code chunkId} is {@code docId#n}. */
    public record ChunkWrite(String chunkId, String text, float[] vector) {
    }
}
