package io.edgerag.store.local;

/**
 * Source of document versions: every write on this node gets a strictly greater value than the
 * previous one, across restarts. Kept behind one interface so that a hybrid logical clock can
 * replace the plain counter without touching the store.
 */
public interface VersionClock {

    /** The next version; strictly greater than every value returned or {@link #observe observed} before. */
    long next();

    /** The greatest version handed out or observed so far (persisted by the store). */
    long last();

    /** Moves the clock forward past {@code version} (a persisted or remote version). */
    void observe(long version);
}
