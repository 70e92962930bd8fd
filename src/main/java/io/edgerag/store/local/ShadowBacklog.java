package io.edgerag.store.local;

import java.util.List;

/**
 * Chunks without a shadow vector, read at {@code generation}: positions are renumbered by compaction, so
 * vectors made for them are accepted only while the generation is still the same.
 */
public record ShadowBacklog(String shadowModel, long generation, List<PendingPassage> passages) {
}
