package io.edgerag.embedding.migration;

import io.edgerag.store.local.EmbeddingMigrationPhase;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /api/admin/embedding} answers: the model this node serves, the migration under way
 * ({@code targetModel} is what the fleet moves to, {@code previousModel} what it leaves), how far this
 * node's build is ({@code progress} 0..1, {@code etaSeconds} at the rate so far, null until there is one)
 * and what every node last reported ({@code nodes}, by node id; this node included).
 */
public record MigrationView(String activeModel, EmbeddingMigrationPhase phase, String targetModel, String previousModel,
                            Instant startedAt, long liveChunks, long embedded, long missing, double progress,
                            Long etaSeconds, String lastError, Map<String, NodeMigrationState> nodes) {
}
