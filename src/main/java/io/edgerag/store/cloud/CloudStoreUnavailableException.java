package io.edgerag.store.cloud;

/** The backend did not answer usefully (unreachable, overloaded, timed out) even after the retries. */
public class CloudStoreUnavailableException extends CloudStoreException {
    public CloudStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
