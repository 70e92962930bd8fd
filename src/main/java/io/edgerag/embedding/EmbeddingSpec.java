package io.edgerag.embedding;

import java.util.Optional;

/**
 * What a configured embedding model id means: which model, its dimension, its query prefix, and how
 * many tokens of input it was trained to read ({@code maxInputTokens}: 256 for all-MiniLM-L6-v2 and
 * 512 for bge-small-en-v1.5, as their sentence-transformers configs set; unknown for Ollama models).
 */
public record EmbeddingSpec(String id, Kind kind, String ollamaModel, int dimension, String queryPrefix,
                            int maxInputTokens) {

    public static final int UNKNOWN_MAX_INPUT = Integer.MAX_VALUE;

    public static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    public enum Kind { ALL_MINILM_L6_V2, BGE_SMALL_EN_V15_Q, OLLAMA }

    public static EmbeddingSpec of(String id, Optional<String> queryPrefix, Optional<Integer> dimension) {
        String trimmed = id.trim();
        if (trimmed.equals("all-minilm-l6-v2")) {
            return new EmbeddingSpec(trimmed, Kind.ALL_MINILM_L6_V2, null, 384, queryPrefix.orElse(""), 256);
        }
        if (trimmed.equals("bge-small-en-v15-q")) {
            return new EmbeddingSpec(trimmed, Kind.BGE_SMALL_EN_V15_Q, null, 384, queryPrefix.orElse(BGE_QUERY_PREFIX), 512);
        }
        if (trimmed.startsWith("ollama:") && trimmed.length() > "ollama:".length()) {
            int dim = dimension.orElseThrow(() -> new IllegalStateException(
                    "edgerag.embedding.dimension must be set for Ollama embedding model " + trimmed));
            return new EmbeddingSpec(trimmed, Kind.OLLAMA, trimmed.substring("ollama:".length()), dim,
                    queryPrefix.orElse(""), UNKNOWN_MAX_INPUT);
        }
        throw new IllegalStateException("Unknown edgerag.embedding.model '" + id
                + "': use all-minilm-l6-v2, bge-small-en-v15-q or ollama:<model>");
    }
}
