package io.edgerag.audit;

import io.edgerag.api.Problem;
import io.edgerag.security.Caller;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Records every call under {@code /api/admin} (compaction, reconciliation, audit export, whatever is
 * added there later) before it runs, with who made it: one route handler instead of a line in each
 * admin resource. Runs after authentication, so a refused call is not an admin action. When the line
 * cannot be written the call is refused (503): an admin action that leaves no trace is not allowed.
 */
@ApplicationScoped
public class AdminCallAudit {

    private final AuditTrail trail;

    public AdminCallAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void register(@Observes Router router) {
        router.route("/api/admin/*").order(Integer.MIN_VALUE + 2).handler(this::record);
    }

    void record(RoutingContext ctx) {
        AuditEvent event = AuditEvent.of(Caller.of(ctx).name(), AuditActions.ADMIN)
                .withDetail(ctx.request().method().name() + " " + ctx.normalizedPath());
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        ctx.request().pause(); // the body waits for the line, as Quarkus' own asynchronous security checks do
        trail.record(event).subscribe().with(
                ok -> context.runOnContext(v -> {
                    ctx.request().resume();
                    ctx.next();
                }),
                failure -> context.runOnContext(v -> ctx.response().setStatusCode(503)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .end(Problem.of(503, "Service Unavailable", "The audit trail cannot be written: "
                                + failure.getMessage(), ctx.normalizedPath()).toJson())));
    }
}
