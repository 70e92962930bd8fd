package io.edgerag.ingest;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token-aware recursive splitting (paragraphs, then lines, sentences, words) with overlap. Tokens are
 * counted with a BERT WordPiece tokenizer, the one both shipped embedding models read.
 */
public final class Chunker {

    private final HuggingFaceTokenCountEstimator tokens;
    private final Map<Integer, DocumentSplitter> splitters = new ConcurrentHashMap<>();
    private final DocumentSplitter splitter;
    private final int maxTokens;
    private final int overlapTokens;

    public Chunker(int maxTokens, int overlapTokens) {
        if (maxTokens < 1 || overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalStateException("Chunk settings need 0 <= overlap < size, got size " + maxTokens
                    + " and overlap " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        // after validation: the tokenizer's native library must not load for a rejected setting
        this.tokens = new HuggingFaceTokenCountEstimator();
        this.splitter = splitterFor(maxTokens);
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int overlapTokens() {
        return overlapTokens;
    }

    public List<String> split(String text) {
        return split(text, splitter);
    }

    /**
     * Splits so that {@code prefix + chunk} fits in {@code budgetTokens} (and never exceeds the
     * configured size): what an embedding model cannot read it truncates or averages away, so a
     * chunk that overflows the model is a chunk whose tail is not really indexed.
     */
    public List<String> splitToFit(String text, String prefix, int budgetTokens) {
        int prefixTokens = prefix == null || prefix.isBlank() ? 0 : tokens.estimateTokenCountInText(prefix);
        // 2 = the model's [CLS] and [SEP]; keep at least a quarter of the budget for the chunk itself
        int size = Math.min(maxTokens, Math.max(budgetTokens / 4, budgetTokens - prefixTokens - 2));
        return split(text, size == maxTokens ? splitter : splitterFor(size));
    }

    private List<String> split(String text, DocumentSplitter with) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return with.split(Document.from(text)).stream().map(TextSegment::text)
                .filter(t -> !t.isBlank()).toList();
    }

    private DocumentSplitter splitterFor(int size) {
        int overlap = Math.min(overlapTokens, size / 4);
        return splitters.computeIfAbsent(size, s -> DocumentSplitters.recursive(s, overlap, tokens));
    }
}
