package io.edgerag.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code edgerag.security.rate-limit.*}: a token bucket per caller (the API key's name or token subject;
 * in open mode the client's address) in front of {@code /api}, {@code /v1} and {@code /q} (never
 * {@code /q/health}). A call takes one token, a chat {@code chat-cost}; an empty bucket answers
 * {@code 429} problem+json with {@code Retry-After}. This bounds what one caller can take from the
 * others; the admission lanes ({@code edgerag.admission.*}) bound what all of them together get.
 */
@ConfigMapping(prefix = "edgerag.security.rate-limit")
public interface RateLimitConfig {

    /** Off only where one caller is meant to use the whole box (benchmarks). */
    @WithDefault("true")
    boolean enabled();

    /** Tokens a caller's bucket gains per second (fractions allowed: 0.5 = one every 2 s). */
    @WithDefault("20")
    double requestsPerSecond();

    /** Bucket size: how many calls a caller may make at once after being idle. */
    @WithDefault("40")
    int burst();

    /**
     * Tokens one chat takes ({@code /api/chat}, {@code /v1/chat/completions}): a chat holds a GPU stream
     * for seconds where a search takes milliseconds. At most {@code burst}.
     */
    @WithDefault("5")
    int chatCost();
}
