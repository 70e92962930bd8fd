package io.edgerag.sync.cloud;

import java.util.Locale;

/** What became of one change event in the cloud sink. */
public enum SinkOutcome {
    /** Won over the cloud's head: the cloud now holds this version (or its tombstone). */
    APPLIED,
    /** The cloud already holds exactly this version (a redelivery, a replay, a reconciler echo). */
    DUPLICATE,
    /** The cloud holds a greater version (or a tombstone at the same one): nothing changed. */
    STALE,
    /** Unreadable, or refused by the cloud store as invalid (retrying cannot help): sent to the dead-letter topic. */
    DEAD_LETTERED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
