package io.edgerag.retrieval;

import io.edgerag.retrieval.fusion.FusionMethod;
import io.edgerag.security.Caller;
import io.edgerag.store.local.SearchFilter;
import java.util.Map;
import java.util.Set;

/**
 * A search. {@code k}, {@code mode} and {@code fusion} null = the configured defaults; {@code filter} =
 * metadata that must match exactly; {@code source} = the document source exactly; {@code dateRange} =
 * a metadata date window. Every filter applies inside the local indexes, before the top-k cut.
 * {@code scope} = the collections the caller may see ({@link Caller#ALL_COLLECTIONS} = all); it comes
 * from the authenticated caller through {@link #scopedTo}, never from the request body. {@code purpose} =
 * who waits for it: a search's query is embedded first, a chat turn's gives way to searches.
 */
public record RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter, String source,
                             SearchFilter.DateRange dateRange, RetrievalMode mode, FusionMethod fusion,
                             Set<String> scope, Purpose purpose) {

    /** What the passages are for; it sets the CPU priority of the query's embedding (issue 10). */
    public enum Purpose { SEARCH, CHAT }

    public RetrievalQuery {
        scope = scope == null || scope.isEmpty() ? Caller.ALL_COLLECTIONS : Set.copyOf(scope);
        purpose = purpose == null ? Purpose.SEARCH : purpose;
    }

    public RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter, String source,
                          SearchFilter.DateRange dateRange, RetrievalMode mode, FusionMethod fusion, Set<String> scope) {
        this(query, k, collection, filter, source, dateRange, mode, fusion, scope, Purpose.SEARCH);
    }

    public RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter, String source,
                          SearchFilter.DateRange dateRange, RetrievalMode mode, FusionMethod fusion) {
        this(query, k, collection, filter, source, dateRange, mode, fusion, Caller.ALL_COLLECTIONS);
    }

    public RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter) {
        this(query, k, collection, filter, null, null, null, null);
    }

    /**
     * This query limited to what {@code caller} may see.
     *
     * @throws io.edgerag.security.CollectionForbiddenException when it names a collection outside the caller's scope
     */
    public RetrievalQuery scopedTo(Caller caller) {
        caller.requireNamedCollection(collection);
        return new RetrievalQuery(query, k, collection, filter, source, dateRange, mode, fusion, caller.collections(), purpose);
    }

    /** This query, for a chat turn's passages. */
    public RetrievalQuery forChat() {
        return new RetrievalQuery(query, k, collection, filter, source, dateRange, mode, fusion, scope, Purpose.CHAT);
    }

    public boolean unscoped() {
        return scope.contains(Caller.ALL);
    }

    SearchFilter localFilter() {
        return new SearchFilter(collection, source, filter, dateRange, unscoped() ? null : scope);
    }
}
