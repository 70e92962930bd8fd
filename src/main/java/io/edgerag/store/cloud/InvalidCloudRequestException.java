package io.edgerag.store.cloud;

/** The request itself is wrong (dimension mismatch, empty vector, metadata too large): retrying cannot help. */
public class InvalidCloudRequestException extends CloudStoreException {
    public InvalidCloudRequestException(String message) {
        super(message);
    }

    public InvalidCloudRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
