package io.edgerag.embedding.migration;

/** One record of the embedding control topic: a {@code plan}, or a node's {@code state} report. */
public record ControlRecord(MigrationPlan plan, NodeMigrationState state) {
}
