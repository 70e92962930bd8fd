package io.edgerag.store.local;

/** Bad input to the local store; the API layer maps it to 400 and the store stays unchanged. */
public class InvalidStoreRequestException extends IllegalArgumentException {
    public InvalidStoreRequestException(String message) {
        super(message);
    }
}
