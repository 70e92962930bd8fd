package io.edgerag.security;

import io.edgerag.api.Problem;
import io.edgerag.common.Sha256;
import io.edgerag.security.AccessConfig.Role;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/**
 * API-key authentication and roles for every HTTP route (JAX-RS resources and the Vert.x routes of
 * the OpenAI-compatible API alike: it runs first on the router). Keys come as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}.
 *
 * <p>With no key configured the appliance is open — allowed only on a loopback address, and said
 * at start-up; any other bind address without keys refuses to start. Health checks stay open for
 * the orchestrator; static pages (the chat and status pages) are served, their API calls are not.
 */
@ApplicationScoped
public class ApiKeyAuth {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuth.class);

    private final Map<String, Caller> callerByHash = new HashMap<>();
    private final String host;
    private final JwtCallers jwt;
    private final boolean openMetrics;

    public ApiKeyAuth(AccessConfig config, JwtCallers jwt, @ConfigProperty(name = "quarkus.http.host") String host) {
        this.host = host;
        this.jwt = jwt;
        this.openMetrics = config.openMetrics();
        config.apiKeys().forEach((name, key) -> {
            String hash = key.sha256().trim().toLowerCase();
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("edgerag.access.api-keys." + name + ".sha256 is not a SHA-256 hex digest");
            }
            callerByHash.put(hash, new Caller(name, key.roles().isEmpty() ? EnumSet.noneOf(Role.class)
                    : EnumSet.copyOf(key.roles()), key.collections(), Caller.Via.API_KEY));
        });
    }

    public boolean isOpen() {
        return callerByHash.isEmpty() && !jwt.enabled();
    }

    void checkAtStartup(@Observes StartupEvent event) {
        if (!isOpen()) {
            LOG.infof("Authentication required: %d API keys %s%s", callerByHash.size(),
                    callerByHash.values().stream().map(Caller::name).sorted().toList(),
                    jwt.enabled() ? ", JWT bearer tokens" : "");
        } else if (isLoopback(host)) {
            LOG.warnf("OPEN MODE: no API keys configured; serving on loopback %s only. Configure edgerag.access.api-keys "
                    + "before binding to another address.", host);
        } else {
            throw new IllegalStateException("quarkus.http.host is " + host + " but no API keys are configured: "
                    + "set edgerag.access.api-keys.<name>.sha256 and .roles (see README, Access), or bind to 127.0.0.1");
        }
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::authorize);
    }

    void authorize(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Role needed = openMetrics && path.startsWith("/q/metrics") ? null : requiredRole(ctx.request().method(), path);
        if (needed == null || isOpen()) {
            ctx.next();
            return;
        }
        String key = presentedKey(ctx);
        if (key != null && jwt.enabled() && JwtCallers.looksLikeJwt(key)) {
            JwtCallers.Verified verified = jwt.verify(key);
            if (verified.caller() == null) {
                deny(ctx, 401, "Unauthorized", verified.refusal());
            } else {
                admit(ctx, verified.caller(), needed);
            }
            return;
        }
        Caller caller = key == null ? null : callerOf(key);
        if (caller == null) {
            deny(ctx, 401, "Unauthorized", key == null
                    ? "This call needs an API key or token: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                    : "The API key is not valid");
        } else {
            admit(ctx, caller, needed);
        }
    }

    private static void admit(RoutingContext ctx, Caller caller, Role needed) {
        if (!caller.has(needed)) {
            deny(ctx, 403, "Forbidden", "The caller '" + caller.name() + "' lacks the '" + needed
                    + "' role this call needs");
        } else {
            ctx.put(Caller.CONTEXT_KEY, caller);
            ctx.next();
        }
    }

    /** The role a call needs; null for calls that stay open (health, static pages). */
    static Role requiredRole(HttpMethod method, String path) {
        if (path.startsWith("/q/health")) {
            return null;
        }
        if (path.startsWith("/api/admin") || path.startsWith("/q/")) {
            return Role.admin;
        }
        if (path.startsWith("/api/documents") && (method == HttpMethod.POST || method == HttpMethod.PUT
                || method == HttpMethod.DELETE)) {
            return Role.writer;
        }
        if (path.startsWith("/api/") || path.startsWith("/v1/")) {
            return Role.reader;
        }
        return null;
    }

    private Caller callerOf(String key) {
        byte[] presented = Sha256.hex(key).getBytes(StandardCharsets.US_ASCII);
        for (Map.Entry<String, Caller> e : callerByHash.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.US_ASCII))) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String presentedKey(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String header = ctx.request().getHeader("X-API-Key");
        return header == null || header.isBlank() ? null : header.trim();
    }

    private static void deny(RoutingContext ctx, int status, String title, String detail) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(Problem.of(status, title, detail, ctx.normalizedPath()).toJson());
    }

    static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
