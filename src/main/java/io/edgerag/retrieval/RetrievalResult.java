package io.edgerag.retrieval;

import java.util.List;

/**
 * Passages best first; {@code tier} says which tiers they came from ({@code local}, {@code cloud},
 * {@code local+cloud}); {@code cloudStatus} what happened to the cloud (a local-only answer says why).
 */
public record RetrievalResult(List<Passage> passages, String tier, long tookMs, CloudStatus cloudStatus) {
}
