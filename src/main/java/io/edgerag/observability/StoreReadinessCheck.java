package io.edgerag.observability;

import io.edgerag.store.local.LocalStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the local store answers (its index is loaded). */
@Readiness
@ApplicationScoped
public class StoreReadinessCheck implements HealthCheck {

    private final LocalStore store;

    public StoreReadinessCheck(LocalStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named("local-store").up()
                    .withData("chunks", store.chunkCount()).withData("dimension", store.dimension()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("local-store").down().withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
