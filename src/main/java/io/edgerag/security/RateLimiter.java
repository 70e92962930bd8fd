package io.edgerag.security;

import io.edgerag.api.Problem;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-caller rate limit ({@link RateLimitConfig}), a router handler right after {@link ApiKeyAuth}'s, so
 * it knows the {@link Caller}. Counts {@code edgerag_rate_limited_total{caller}}: tagged by the caller's
 * name (configured keys, {@code anonymous} in open mode), never by address, so the tag stays bounded.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    /** Above this many buckets, full ones are dropped: forgetting an idle caller's full bucket loses nothing. */
    static final int SWEEP_ABOVE = 10_000;

    private final RateLimitConfig config;
    private final MeterRegistry registry;
    private final Bandwidth bandwidth;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long nextSweepNanos = System.nanoTime();

    public RateLimiter(RateLimitConfig config, MeterRegistry registry) {
        if (config.requestsPerSecond() <= 0 || config.burst() < 1 || config.chatCost() < 1
                || config.chatCost() > config.burst()) {
            throw new IllegalStateException("edgerag.security.rate-limit: requests-per-second must be > 0, burst >= 1 "
                    + "and 1 <= chat-cost <= burst (got " + config.requestsPerSecond() + ", " + config.burst() + ", "
                    + config.chatCost() + ")");
        }
        this.config = config;
        this.registry = registry;
        this.bandwidth = Bandwidth.builder().capacity(config.burst())
                .refillGreedy(1, Duration.ofNanos(Math.round(1e9 / config.requestsPerSecond()))).build();
    }

    void register(@Observes Router router) {
        if (config.enabled()) {
            router.route().order(Integer.MIN_VALUE + 2).handler(this::limit);
            LOG.infof("Rate limit: %s requests/s per caller, burst %d, a chat costs %d",
                    config.requestsPerSecond(), config.burst(), config.chatCost());
        } else {
            LOG.warn("Rate limit off (edgerag.security.rate-limit.enabled=false): one caller can take the whole box");
        }
    }

    void limit(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!limited(path)) {
            ctx.next();
            return;
        }
        Caller caller = Caller.of(ctx);
        ConsumptionProbe probe = bucketOf(keyOf(caller, ctx)).tryConsumeAndReturnRemaining(cost(path));
        if (probe.isConsumed()) {
            ctx.next();
            return;
        }
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        registry.counter("edgerag.rate.limited", "caller", caller.name()).increment();
        Problem p = Problem.of(429, "Too Many Requests", "Caller '" + caller.name() + "' is over its rate limit of "
                + config.requestsPerSecond() + " requests per second (burst " + config.burst() + ", a chat costs "
                + config.chatCost() + "; edgerag.security.rate-limit.*): retry after " + retryAfter + " s", path);
        ctx.response().setStatusCode(429).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Retry-After", Long.toString(retryAfter)).end(p.toJson());
    }

    static boolean limited(String path) {
        return path.startsWith("/api/") || path.startsWith("/v1/") || (path.startsWith("/q/") && !path.startsWith("/q/health"));
    }

    private int cost(String path) {
        return path.startsWith("/api/chat") || path.startsWith("/v1/chat/") ? config.chatCost() : 1;
    }

    /** Authenticated callers by name (all their clients share one bucket); open mode by client address. */
    private static String keyOf(Caller caller, RoutingContext ctx) {
        if (caller.via() != Caller.Via.OPEN) {
            return "caller:" + caller.name();
        }
        SocketAddress remote = ctx.request().remoteAddress();
        return "address:" + (remote == null || remote.host() == null ? "unknown" : remote.host());
    }

    private Bucket bucketOf(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        sweepIfLarge();
        return buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(bandwidth).build());
    }

    private void sweepIfLarge() {
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_ABOVE && now - nextSweepNanos >= 0) {
            nextSweepNanos = now + 1_000_000_000L;   // at most once a second, whatever a flood of new addresses does
            buckets.values().removeIf(b -> b.getAvailableTokens() >= config.burst());
        }
    }
}
