package io.edgerag.store.local;

import java.util.Map;

/**
 * A local search: top {@code k} by cosine similarity, at least {@code minScore}, restricted to a
 * collection (null = all) and to chunks whose metadata equals every entry of {@code metadataEquals}.
 * Filters apply inside the index search, before the top-k cut.
 */
public record SearchRequest(int k, double minScore, String collection, Map<String, String> metadataEquals) {

    public static final int MAX_K = 1000;

    public static SearchRequest topK(int k) {
        return new SearchRequest(k, -1.0, null, Map.of());
    }
}
