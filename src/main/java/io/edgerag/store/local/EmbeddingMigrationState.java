package io.edgerag.store.local;

import java.time.Instant;

/**
 * A store's embedding models at one moment: {@code activeModel} (what searches use; null when none was ever
 * declared), and during a migration the {@code shadowModel} with how many of the {@code liveChunks} have a
 * shadow vector already.
 */
public record EmbeddingMigrationState(String activeModel, EmbeddingMigrationPhase phase, String shadowModel,
                                      Instant startedAt, long liveChunks, long shadowVectors) {

    /** Live chunks the shadow model has no vector for yet: cut-over waits for zero (none without a migration). */
    public long missing() {
        return phase == EmbeddingMigrationPhase.NONE ? 0 : Math.max(0, liveChunks - shadowVectors);
    }
}
