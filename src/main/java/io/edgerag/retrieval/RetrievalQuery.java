package io.edgerag.retrieval;

import io.edgerag.retrieval.fusion.FusionMethod;
import io.edgerag.store.local.SearchFilter;
import java.util.Map;

/**
 * A search. {@code k}, {@code mode} and {@code fusion} null = the configured defaults; {@code filter} =
 * metadata that must match exactly; {@code source} = the document source exactly; {@code dateRange} =
 * a metadata date window. Every filter applies inside the local indexes, before the top-k cut.
 */
public record RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter, String source,
                             SearchFilter.DateRange dateRange, RetrievalMode mode, FusionMethod fusion) {

    public RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter) {
        this(query, k, collection, filter, null, null, null, null);
    }

    SearchFilter localFilter() {
        return new SearchFilter(collection, source, filter, dateRange);
    }
}
