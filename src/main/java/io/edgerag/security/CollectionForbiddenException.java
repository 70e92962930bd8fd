package io.edgerag.security;

/**
 * A caller named a collection outside its scope. Answered 403: the collection is named by the caller,
 * so saying it is off-limits leaks nothing the caller did not already send.
 */
public class CollectionForbiddenException extends RuntimeException {

    public CollectionForbiddenException(Caller caller, String collection) {
        super("The key '" + caller.name() + "' may not use collection '" + Caller.collectionOrDefault(collection)
                + "' (its collections: " + String.join(", ", caller.collections().stream().sorted().toList()) + ")");
    }

    public CollectionForbiddenException(String message) {
        super(message);
    }
}
