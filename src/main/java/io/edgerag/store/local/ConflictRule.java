package io.edgerag.store.local;

/**
 * The one rule every node (and the cloud sink) uses to decide which state of a document survives:
 * the greater {@link Version} wins, a delete is a state like any other (a tombstone with its own
 * version), and at an equal version — only a replay of the same event can produce one — a tombstone
 * wins, so forgetting is never undone by a duplicate.
 *
 * <p>The rule is a join (a semilattice merge): commutative, associative and idempotent, which is
 * what makes "apply the events in whatever order they arrive, as often as they arrive" converge.
 * {@code ConflictRuleProperties} checks exactly those laws.
 */
public final class ConflictRule {

    private ConflictRule() {
    }

    /** A document's state as far as conflicts go: its version, whether it is a tombstone, its content hash. */
    public record DocState(Version version, boolean deleted, String contentHash) {
    }

    /** The surviving state of two states of the same document. */
    public static DocState merge(DocState a, DocState b) {
        return wins(a, b) ? a : b;
    }

    /** True when {@code incoming} must replace {@code stored} (a null {@code stored} means never seen). */
    public static boolean wins(DocState incoming, DocState stored) {
        if (stored == null) {
            return true;
        }
        int byVersion = incoming.version().compareTo(stored.version());
        if (byVersion != 0) {
            return byVersion > 0;
        }
        if (incoming.deleted() != stored.deleted()) {
            return incoming.deleted();
        }
        // Same version, same kind: the same event seen twice. Ordering by hash keeps merge commutative
        // even for (impossible in practice) different contents under one version.
        return compareNullable(incoming.contentHash(), stored.contentHash()) > 0;
    }

    private static int compareNullable(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }
}
