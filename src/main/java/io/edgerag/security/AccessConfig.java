package io.edgerag.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Set;

/**
 * {@code edgerag.access.*}: API keys and their roles. Keys are stored as SHA-256 hashes only
 * ({@code echo -n "$KEY" | sha256sum}); a key is a long random token, so a fast hash is enough and
 * nothing in the configuration can be replayed. With no key configured the appliance runs open, and
 * then only on a loopback address.
 */
@ConfigMapping(prefix = "edgerag.access")
public interface AccessConfig {

    /** Keys by name (the name appears in logs, never the key): {@code edgerag.access.api-keys.ops.sha256=...}. */
    Map<String, ApiKey> apiKeys();

    /** Let Prometheus scrape {@code /q/metrics} without a key (it is admin-only otherwise; scrapers can send one). */
    @WithDefault("false")
    boolean openMetrics();

    /** Signed bearer tokens from an identity provider, beside (or instead of) API keys. */
    Jwt jwt();

    interface Jwt {
        /**
         * Accept JWT bearer tokens, verified with {@code mp.jwt.verify.publickey.location} (a PEM or JWKS file
         * or URL) and {@code mp.jwt.verify.issuer}; roles from the {@code groups} claim.
         */
        @WithDefault("false")
        boolean enabled();

        /** The claim listing the collections a token may see (array or space-separated); absent = all. */
        @WithDefault("collections")
        String collectionsClaim();
    }

    interface ApiKey {
        /** Lower-case hex SHA-256 of the key. */
        String sha256();

        /** Any of {@code reader} (search, chat, status), {@code writer} (ingest, delete), {@code admin} (operations). */
        Set<Role> roles();

        /**
         * The collections this key may see and write ({@code *} = all, the default); documents stored
         * without a collection belong to {@code default}.
         */
        @WithDefault("*")
        Set<String> collections();
    }

    enum Role { reader, writer, admin }
}
