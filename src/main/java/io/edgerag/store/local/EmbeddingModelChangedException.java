package io.edgerag.store.local;

/**
 * A query vector or a write was made with a model the store no longer serves: a cut-over or rollback
 * happened in between. Nothing was read or written; embed again with the store's active model.
 */
public class EmbeddingModelChangedException extends IllegalStateException {

    public EmbeddingModelChangedException(String message) {
        super(message);
    }
}
