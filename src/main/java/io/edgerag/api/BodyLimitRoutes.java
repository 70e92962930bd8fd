package io.edgerag.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers bodies over {@code quarkus.http.limits.max-body-size} with a 413 problem+json before any
 * byte is read (a declared Content-Length), and turns Vert.x's bare 413 (chunked bodies) into one too.
 */
@ApplicationScoped
public class BodyLimitRoutes {

    private final long limit;

    public BodyLimitRoutes(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
                           MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
        router.errorHandler(413, this::tooLarge);
    }

    void checkDeclaredLength(RoutingContext ctx) {
        String declared = ctx.request().getHeader("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    tooLarge(ctx);
                    return;
                }
            } catch (NumberFormatException ignored) {
                // Vert.x rejects the malformed header itself
            }
        }
        ctx.next();
    }

    void tooLarge(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Problem p = Problem.of(413, "Payload Too Large", "Request body is over the limit of " + limit
                + " bytes (quarkus.http.limits.max-body-size)", ctx.request().path());
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(p.toJson());
    }
}
