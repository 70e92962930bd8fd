package io.edgerag.store.local;

/** A migration step that does not fit the phase the store is in (start while one runs, finalize before cut-over). */
public class EmbeddingMigrationConflictException extends IllegalStateException {

    public EmbeddingMigrationConflictException(String message) {
        super(message);
    }
}
