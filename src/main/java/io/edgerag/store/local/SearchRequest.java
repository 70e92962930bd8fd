package io.edgerag.store.local;

import java.util.Map;

/**
 * A local search: top {@code k}, restricted by {@code filter} (applied inside the index search, before
 * the top-k cut). {@code minScore} is a floor on cosine similarity for the vector ranking. {@code queryModel}
 * (may be null: not checked) is the embedding model the query vector was made with.
 */
public record SearchRequest(int k, double minScore, SearchFilter filter, String queryModel) {

    public static final int MAX_K = 1000;

    public SearchRequest {
        filter = filter == null ? SearchFilter.NONE : filter;
    }

    public SearchRequest(int k, double minScore, SearchFilter filter) {
        this(k, minScore, filter, null);
    }

    /**
     * The same search, for a query vector made with {@code model}: the store refuses it (with
     * {@link EmbeddingModelChangedException}) when it no longer serves that model, so no search ever
     * compares a query of one model with vectors of another.
     */
    public SearchRequest madeWith(String model) {
        return new SearchRequest(k, minScore, filter, model);
    }

    /** Restricted to a collection (null = all) and to chunks whose metadata equals every entry. */
    public SearchRequest(int k, double minScore, String collection, Map<String, String> metadataEquals) {
        this(k, minScore, SearchFilter.of(collection, metadataEquals));
    }

    public static SearchRequest topK(int k) {
        return new SearchRequest(k, -1.0, SearchFilter.NONE);
    }
}
