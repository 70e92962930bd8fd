package io.edgerag.security;

import io.edgerag.security.AccessConfig.Role;
import io.edgerag.store.local.SearchFilter;
import io.vertx.ext.web.RoutingContext;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who made a call, once authenticated: a name for logs and the audit trail (never the key itself),
 * the roles it holds and the collections it may see. Services get it passed explicitly (no thread
 * locals: a Mutiny pipeline hops threads).
 *
 * @param name        the key's configured name, the token's subject, {@code anonymous} in open mode,
 *                    {@code system:<component>} for work the appliance does on its own (sync apply, jobs)
 * @param roles       what it may do
 * @param collections what it may see; {@link #ALL_COLLECTIONS} ({@code *}) = every collection
 * @param via         how it was established
 */
public record Caller(String name, Set<Role> roles, Set<String> collections, Via via) {

    /** Where {@link ApiKeyAuth} leaves the caller on the Vert.x routing context. */
    public static final String CONTEXT_KEY = "edgerag.caller";

    public static final String ALL = "*";
    public static final Set<String> ALL_COLLECTIONS = Set.of(ALL);

    /** The collection of a document stored without one; scopes name it like any other. */
    public static final String DEFAULT_COLLECTION = SearchFilter.DEFAULT_COLLECTION;

    public enum Via { API_KEY, JWT, OPEN, SYSTEM }

    public static final Caller OPEN = new Caller("anonymous", EnumSet.allOf(Role.class), ALL_COLLECTIONS, Via.OPEN);

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        collections = collections == null || collections.isEmpty() || collections.contains(ALL)
                ? ALL_COLLECTIONS : Set.copyOf(collections);
    }

    public static Caller system(String component) {
        return new Caller("system:" + component, EnumSet.allOf(Role.class), ALL_COLLECTIONS, Via.SYSTEM);
    }

    /** The caller of this HTTP exchange; {@link #OPEN} when no authentication ran (open mode). */
    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx == null ? null : ctx.get(CONTEXT_KEY);
        return caller == null ? OPEN : caller;
    }

    public boolean has(Role role) {
        return roles.contains(role) || roles.contains(Role.admin);
    }

    public boolean seesAllCollections() {
        return collections.contains(ALL);
    }

    /** Whether a document of {@code collection} (null = {@link #DEFAULT_COLLECTION}) is visible to this caller. */
    public boolean mayAccess(String collection) {
        return seesAllCollections() || collections.contains(collectionOrDefault(collection));
    }

    /**
     * A collection a request names must lie in this caller's scope (a 403 otherwise); naming none is fine:
     * the request then runs over the whole scope.
     */
    public void requireNamedCollection(String collection) {
        if (collection != null && !collection.isBlank() && !mayAccess(collection)) {
            throw new CollectionForbiddenException(this, collection);
        }
    }

    public static String collectionOrDefault(String collection) {
        return collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
    }
}
