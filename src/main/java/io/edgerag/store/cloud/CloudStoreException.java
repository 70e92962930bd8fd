package io.edgerag.store.cloud;

/** A cloud store call failed; see the subclasses for bad input vs an unreachable backend. */
public class CloudStoreException extends RuntimeException {
    public CloudStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public CloudStoreException(String message) {
        super(message);
    }
}
