package io.edgerag.embedding.migration;

import io.edgerag.store.local.EmbeddingMigrationPhase;

/** One node's embedding state as it reports it: serving model, phase, its build's progress, when (epoch ms). */
public record NodeMigrationState(String node, String activeModel, EmbeddingMigrationPhase phase, String targetModel,
                                 double progress, long at) {
}
