package io.edgerag.store.local;

import java.time.Instant;
import java.util.Map;

/** Metadata of a live document as stored; {@code version} is the write that made this state (greater wins). */
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
        Version version,
        Instant updatedAt) {
}
