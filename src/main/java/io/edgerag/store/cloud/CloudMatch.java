package io.edgerag.store.cloud;

import java.util.Map;

/** A query hit: the record id (chunkId), its cosine similarity and its metadata. */
public record CloudMatch(String id, double score, Map<String, String> metadata) {

    public CloudMatch {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
