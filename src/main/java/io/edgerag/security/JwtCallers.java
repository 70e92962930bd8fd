package io.edgerag.security;

import io.edgerag.security.AccessConfig.Role;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Callers from signed JWT bearer tokens (MicroProfile JWT through quarkus-smallrye-jwt: the issuer's public
 * key and issuer come from {@code mp.jwt.verify.publickey.location} / {@code mp.jwt.verify.issuer}). Roles
 * are the token's {@code groups} that name one ({@code reader}, {@code writer}, {@code admin}); collections
 * come from the claim {@code edgerag.access.jwt.collections-claim} (an array, or a space-separated string,
 * as OAuth scopes are), absent = every collection.
 */
@ApplicationScoped
public class JwtCallers {

    private final JWTParser parser;
    private final AccessConfig.Jwt config;

    public JwtCallers(JWTParser parser, AccessConfig access) {
        this.parser = parser;
        this.config = access.jwt();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** A compact JWS has three dot-separated base64url parts and a JSON header ({@code eyJ}); API keys do not. */
    static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The caller the token names, or why it is refused (signature, expiry, issuer). */
    public Verified verify(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String group : jwt.getGroups()) {
                for (Role role : Role.values()) {
                    if (role.name().equals(group)) {
                        roles.add(role);
                    }
                }
            }
            String name = Optional.ofNullable(jwt.getName()).orElse(jwt.getSubject());
            return new Verified(new Caller("jwt:" + name, roles, collections(jwt), Caller.Via.JWT), null);
        } catch (ParseException e) {
            return new Verified(null, "The bearer token is not valid (signature, expiry or issuer)");
        }
    }

    /** Either a caller or why not. */
    public record Verified(Caller caller, String refusal) {
    }

    private Set<String> collections(JsonWebToken jwt) {
        Object claim = jwt.getClaim(config.collectionsClaim());
        if (claim == null) {
            return Caller.ALL_COLLECTIONS;
        }
        Set<String> collections = new HashSet<>();
        if (claim instanceof Collection<?> values) {
            values.forEach(v -> collections.add(unquoted(String.valueOf(v))));
        } else {
            for (String part : unquoted(String.valueOf(claim)).split("\\s+")) {
                if (!part.isBlank()) {
                    collections.add(part);
                }
            }
        }
        // a token that names its collections but lists none sees none, not all
        return collections.isEmpty() ? Set.of("") : collections;
    }

    /** JSON-P string values print with their quotes. */
    private static String unquoted(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
