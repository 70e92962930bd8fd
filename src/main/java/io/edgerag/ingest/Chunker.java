package io.edgerag.ingest;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import java.util.List;

/** Token-aware recursive splitting (paragraphs, then lines, sentences, words) with overlap. */
public final class Chunker {

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
        this.splitter = DocumentSplitters.recursive(maxTokens, overlapTokens, new HuggingFaceTokenCountEstimator());
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int overlapTokens() {
        return overlapTokens;
    }

    public List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return splitter.split(Document.from(text)).stream().map(TextSegment::text)
                .filter(t -> !t.isBlank()).toList();
    }
}
