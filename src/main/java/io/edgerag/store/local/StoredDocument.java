package io.edgerag.store.local;

import java.time.Instant;
import java.util.Map;

/** Metadata of a live document as stored; {@code version} grows with every write on this node. */
public record StoredDocument(
        String docId,
        String title,
        String source,
        String collection,
        Map<String, String> metadata,
        String contentHash,
        String embeddingModel,
        int schemaVersion,
        int chunks,
        long version,
        Instant updatedAt) {
}
