package io.edgerag.retrieval;

/**
 * A retrieved passage with its provenance: which document and chunk, which tier, how it ranked.
 * {@code score} is always the cosine similarity to the query (comparable across tiers and modes: it is
 * the local-confidence signal for cloud fallback); {@code keywordScore} is the BM25 score when the keyword
 * index found it, {@code fusedScore} the fusion score in hybrid mode (null otherwise).
 */
public record Passage(String docId, String chunkId, String text, double score, String tier, String source,
                      String title, String collection, Double keywordScore, Double fusedScore) {

    public Passage(String docId, String chunkId, String text, double score, String tier, String source,
                   String title, String collection) {
        this(docId, chunkId, text, score, tier, source, title, collection, null, null);
    }

    Passage withFusedScore(double fused) {
        return new Passage(docId, chunkId, text, score, tier, source, title, collection, keywordScore, fused);
    }

    /** The same passage with other text (a prompt cut to fit the model's window). */
    public Passage withText(String newText) {
        return new Passage(docId, chunkId, newText, score, tier, source, title, collection, keywordScore, fusedScore);
    }
}
