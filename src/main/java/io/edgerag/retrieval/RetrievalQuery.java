package io.edgerag.retrieval;

import java.util.Map;

/** A search: {@code k} null = the configured default; {@code filter} = metadata that must match exactly. */
public record RetrievalQuery(String query, Integer k, String collection, Map<String, String> filter) {
}
