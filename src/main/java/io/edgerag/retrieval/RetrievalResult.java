package io.edgerag.retrieval;

import java.util.List;

/**
 * Passages best first; {@code tier} says which tiers they came from ({@code local}, {@code cloud},
 * {@code local+cloud}); {@code cloudStatus} what happened to the cloud (a local-only answer says why);
 * {@code embeddingModel} the one model whose vectors every passage was ranked by, locally and in the cloud.
 */
public record RetrievalResult(List<Passage> passages, String tier, long tookMs, CloudStatus cloudStatus,
                              String embeddingModel) {
}
