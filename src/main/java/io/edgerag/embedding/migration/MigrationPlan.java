package io.edgerag.embedding.migration;

/**
 * What the fleet is told to do with its embedding model, on the control topic under key {@code plan}:
 * {@code action} START (build {@code targetModel} and cut over when caught up), ROLLBACK (back to the
 * previous model) or FINALIZE (drop the previous model's vectors once cut over). {@code hlc}/{@code node}
 * order plans: the last one wins, as for documents.
 */
public record MigrationPlan(String action, String targetModel, long hlc, String node) {

    public static final String START = "START";
    public static final String ROLLBACK = "ROLLBACK";
    public static final String FINALIZE = "FINALIZE";

    boolean isAfter(MigrationPlan other) {
        return other == null || hlc > other.hlc() || (hlc == other.hlc() && node.compareTo(other.node()) > 0);
    }
}
