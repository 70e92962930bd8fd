package io.edgerag.retrieval;

import io.edgerag.common.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the local tier ranks: by embedding similarity, by BM25 over the chunk text, or both fused. The
 * default ({@code edgerag.retrieval.mode}) is hybrid because it measured best on SciFact (README
 * "Retrieval quality").
 */
public enum RetrievalMode {
    VECTOR, KEYWORD, HYBRID;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code null} or blank = {@code fallback}; anything else not a mode is a 400. */
    public static RetrievalMode parse(String value, RetrievalMode fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode must be one of "
                    + Arrays.stream(values()).map(RetrievalMode::wire).collect(Collectors.joining(", ")) + ", got '" + value + "'");
        }
    }
}
