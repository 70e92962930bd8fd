package io.edgerag.store.local;

/**
 * A local write refused because the outbox of unpublished changes has reached its disk budget: the
 * broker has been unreachable for long. Reads go on; writes succeed again once the relay drains it.
 */
public final class OutboxFullException extends RuntimeException {

    public OutboxFullException(String message) {
        super(message);
    }
}
