package io.edgerag.retrieval;

/** A retrieved passage with its provenance: which document and chunk, which tier, how similar. */
public record Passage(String docId, String chunkId, String text, double score, String tier, String source,
                      String title, String collection) {

    /** The same passage with other text (a prompt cut to fit the model's window). */
    public Passage withText(String newText) {
        return new Passage(docId, chunkId, newText, score, tier, source, title, collection);
    }
}
