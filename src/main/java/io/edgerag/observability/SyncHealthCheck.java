package io.edgerag.observability;

import io.edgerag.sync.SyncStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Sync is never a reason to take the appliance out of service: without the broker it still answers
 * from its local index and keeps changes in the outbox. So readiness stays UP and carries the outbox
 * depth and a {@code warning} when the broker is away or the outbox nears its budget.
 */
@Readiness
@ApplicationScoped
public class SyncHealthCheck implements HealthCheck {

    private final SyncStatus status;

    public SyncHealthCheck(SyncStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        SyncStatus.Snapshot s = status.snapshot();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("sync").up()
                .withData("mode", s.enabled() ? "hybrid" : "standalone")
                .withData("node", s.nodeId());
        if (s.enabled()) {
            b.withData("outboxDepth", s.outbox().depth())
                    .withData("outboxBudgetUsed", String.format("%.3f", s.outbox().budgetUsed()));
            if (s.warning() != null) {
                b.withData("warning", s.warning());
            }
        }
        return b.build();
    }
}
