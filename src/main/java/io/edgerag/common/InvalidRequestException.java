package io.edgerag.common;

/** A request the appliance refuses as malformed (empty text, k out of range...); the API answers 400. */
public class InvalidRequestException extends IllegalArgumentException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
