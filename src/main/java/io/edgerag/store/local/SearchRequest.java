package io.edgerag.store.local;

import java.util.Map;

/**
 * A local search: top {@code k}, restricted by {@code filter} (applied inside the index search, before
 * the top-k cut). {@code minScore} is a floor on cosine similarity for the vector ranking.
 */
public record SearchRequest(int k, double minScore, SearchFilter filter) {

    public static final int MAX_K = 1000;

    public SearchRequest {
        filter = filter == null ? SearchFilter.NONE : filter;
    }

    /** Restricted to a collection (null = all) and to chunks whose metadata equals every entry. */
    public SearchRequest(int k, double minScore, String collection, Map<String, String> metadataEquals) {
        this(k, minScore, SearchFilter.of(collection, metadataEquals));
    }

    public static SearchRequest topK(int k) {
        return new SearchRequest(k, -1.0, SearchFilter.NONE);
    }
}
