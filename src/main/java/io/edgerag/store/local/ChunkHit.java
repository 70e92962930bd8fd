package io.edgerag.store.local;

import java.util.Map;

/**
 * A passage found by a local search, with its provenance. {@code score} is the cosine similarity to the
 * query vector (NaN when the search had none); {@code keywordScore} the BM25 score when the keyword
 * index found it (NaN otherwise).
 */
public record ChunkHit(
        String docId,
        String chunkId,
        String text,
        double score,
        String title,
        String source,
        String collection,
        Map<String, String> metadata,
        double keywordScore) {

    public ChunkHit(String docId, String chunkId, String text, double score, String title, String source,
                    String collection, Map<String, String> metadata) {
        this(docId, chunkId, text, score, title, source, collection, metadata, Double.NaN);
    }
}
