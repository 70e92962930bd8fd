package io.edgerag.store.local;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses the {@link LocalStore} the appliance runs on.
 *
 * <p>TODO(store merge): return the durable SQLite + FAISS store from branch {@code store} here. Until
 * then there is deliberately no store in main: startup fails with the message below rather than run
 * on something that loses data. Tests supply their own in-memory store as a CDI alternative.
 */
@ApplicationScoped
public class LocalStoreProducer {

    @Produces
    @ApplicationScoped
    LocalStore localStore() {
        throw new IllegalStateException("No LocalStore is configured: this build has no durable store yet "
                + "(TODO: wire the SQLite + FAISS store of branch 'store' in io.edgerag.store.local.LocalStoreProducer)");
    }

    /** Touch the store at startup so a missing or broken store fails the start, not the first request. */
    void checkAtStartup(@Observes StartupEvent event, LocalStore store) {
        store.dimension();
    }
}
