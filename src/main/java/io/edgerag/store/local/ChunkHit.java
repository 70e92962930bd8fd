package io.edgerag.store.local;

import java.util.Map;

/** A passage found by a local search, with its provenance; {@code score} is cosine similarity. */
public record ChunkHit(
        String docId,
        String chunkId,
        String text,
        double score,
        String title,
        String source,
        String collection,
        Map<String, String> metadata) {
}
