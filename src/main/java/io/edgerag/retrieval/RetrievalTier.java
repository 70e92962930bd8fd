package io.edgerag.retrieval;

import java.util.List;

/**
 * One place passages can come from: {@link LocalRetrievalTier} (always asked first) and
 * {@link CloudRetrievalTier}, which {@link RetrievalService} asks when the best local similarity is
 * below τ, merging by chunkId. The query vector is computed once and shared by every tier.
 */
public interface RetrievalTier {

    /** Name reported as {@code tier} on every passage this tier returns. */
    String name();

    /** Blocking: called on a worker thread. */
    List<Passage> search(float[] queryVector, int k, String collection, java.util.Map<String, String> filter);
}
