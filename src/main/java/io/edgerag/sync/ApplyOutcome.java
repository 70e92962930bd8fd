package io.edgerag.sync;

/** What became of one inbound change event on this node. */
public enum ApplyOutcome {
    /** Won under the conflict rule and is now durable here. */
    APPLIED,
    /** Won, but its vectors came from another embedding model: re-embedded from its text, then applied. */
    REEMBEDDED,
    /** This node already holds exactly this version (a redelivery, or its own event). */
    DUPLICATE,
    /** This node holds a greater version: the event lost, nothing changed. */
    STALE,
    /** Made with another embedding model and without text: it cannot be indexed here. */
    GAP,
    /** Unreadable or invalid: published to the dead-letter topic with the reason. */
    DEAD_LETTERED;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
