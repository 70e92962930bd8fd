package io.edgerag.ingest;

/** An upload whose type the appliance cannot parse; the API answers 415. */
public class UnsupportedDocumentTypeException extends RuntimeException {
    public UnsupportedDocumentTypeException(String message) {
        super(message);
    }
}
