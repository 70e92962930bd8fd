package io.edgerag.retrieval;

import java.util.List;

/** Passages best first; {@code tier} says which tiers answered ({@code local} until a cloud tier exists). */
public record RetrievalResult(List<Passage> passages, String tier, long tookMs) {
}
