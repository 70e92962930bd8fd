package io.edgerag.consistency;

import java.util.List;

/**
 * What a write's level achieved. {@code targets}: what the level waits for beyond this edge ({@code cloud},
 * or the ids of the known peers); {@code pending}: those that had not applied it when the wait ended
 * (empty when {@code met}); {@code reason}: why, when not met.
 */
public record WriteOutcome(WriteLevel level, boolean met, List<String> targets, List<String> pending, long waitedMs,
                           String reason) {
}
