package io.edgerag.audit;

import io.edgerag.security.Caller;
import io.edgerag.store.local.DurableVectorStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Puts each compaction of the local store (the moment deleted text and vectors leave the disk) in the audit trail. */
@ApplicationScoped
public class StoreCompactionAudit {

    static final Caller STORE = Caller.system("store");

    void hook(@Observes StartupEvent event, DurableVectorStore store, AuditTrail trail) {
        store.onCompacted(generation -> trail.recordLater(AuditEvent.of(STORE.name(), AuditActions.COMPACTION)
                .withDetail("generation " + generation)));
    }
}
