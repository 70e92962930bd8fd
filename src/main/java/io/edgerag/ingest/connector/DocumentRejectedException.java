package io.edgerag.ingest.connector;

/**
 * A file that cannot become a document (unparsable, no text, a type ingest does not read): the run
 * records it and goes on, since retrying the same bytes cannot succeed. Anything else stops the run.
 */
final class DocumentRejectedException extends RuntimeException {
    DocumentRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
