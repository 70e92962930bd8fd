package io.edgerag.audit;

/** The action names the trail uses (also the {@code action} tag of {@code edgerag_audit_events_total}). */
public final class AuditActions {

    /** A document written through the API, the CLI or the sample corpus. */
    public static final String UPSERT = "document.upsert";
    /** A document deleted here (a tombstone made on this node). */
    public static final String DELETE = "document.delete";
    /** A change of another edge applied here from the change topic (principal {@code node:<origin>}). */
    public static final String SYNC_UPSERT = "sync.upsert";
    public static final String SYNC_DELETE = "sync.delete";
    /** A change the cloud sink applied to the cloud store (principal {@code node:<origin>}), on the sink's node. */
    public static final String CLOUD_UPSERT = "cloud.upsert";
    public static final String CLOUD_DELETE = "cloud.delete";
    /** A call under {@code /api/admin}, recorded before it runs ({@code detail}: method and path). */
    public static final String ADMIN = "admin.call";
    /** The store's compaction (dead vectors and text purged from disk); {@code detail}: the new generation. */
    public static final String COMPACTION = "store.compaction";
    /** A scheduled cloud → edge reconciliation run; {@code detail}: what it published. */
    public static final String RECONCILE = "cloud.reconcile";

    private AuditActions() {
    }
}
