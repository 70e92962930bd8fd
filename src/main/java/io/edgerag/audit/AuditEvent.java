package io.edgerag.audit;

/**
 * What happened, as the caller of the audit trail states it. Identifiers and versions only: never a
 * passage, a title or a query (the log is kept longer and read by more people than the store).
 *
 * @param principal  who: {@code Caller.name()}, {@code node:<id>} for a change applied from another edge,
 *                   {@code system:<component>} for the appliance's own work
 * @param action     what: see {@link AuditActions}
 * @param docId      the document, or null for actions that touch none (an admin call, a compaction)
 * @param version    the document version the action produced or applied (HLC as a decimal string), or null
 * @param collection the document's collection, or null when unknown (deletes) or none
 * @param detail     a short machine-made note (the admin route, a count); never user-supplied text
 */
public record AuditEvent(String principal, String action, String docId, String version, String collection, String detail) {

    public static AuditEvent of(String principal, String action) {
        return new AuditEvent(principal, action, null, null, null, null);
    }

    public AuditEvent withDetail(String note) {
        return new AuditEvent(principal, action, docId, version, collection, note);
    }
}
