package io.edgerag.consistency;

import io.edgerag.store.local.ConflictRule;
import io.edgerag.store.local.DurableVectorStore;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/** Whether this node has applied the version a {@link ConsistencyToken} names, and waiting (bounded) until it has. */
@Singleton
public class AppliedVersions {

    /** Re-check interval while waiting: a version arrives in one consumer poll, so a few ms of slack is noise. */
    static final long POLL_MILLIS = 20;

    private final DurableVectorStore store;

    public AppliedVersions(DurableVectorStore store) {
        this.store = store;
    }

    /** This node's version of the document (live or tombstone); empty when it never saw it. */
    public Optional<io.edgerag.store.local.Version> versionHere(String docId) {
        return store.versionOf(docId).map(ConflictRule.DocState::version);
    }

    /** True when this node's version of the document is the token's or a later one (deletes included). */
    public boolean applied(ConsistencyToken token) {
        Optional<ConflictRule.DocState> here = store.versionOf(token.docId());
        return here.isPresent() && here.get().version().compareTo(token.version()) >= 0;
    }

    /**
     * Blocks (a worker thread) until {@link #applied} or {@code max} has passed.
     *
     * @return whether the token was applied in time
     */
    public boolean awaitApplied(ConsistencyToken token, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (applied(token)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
