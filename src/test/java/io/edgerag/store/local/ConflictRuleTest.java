package io.edgerag.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgerag.store.local.ConflictRule.DocState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The conflict rule is a join: commutative, associative, idempotent, so that applying changes in any
 * order, any number of times, converges. Values are drawn from tiny ranges so that equal hlcs, equal
 * node ids, and a tombstone and an upsert at the same version come up all the time.
 */
class ConflictRuleTest {

    @Provide
    Arbitrary<DocState> states() {
        Arbitrary<Version> versions = Combinators.combine(Arbitraries.longs().between(0, 3),
                Arbitraries.of("", "a", "b")).as(Version::new);
        return Combinators.combine(versions, Arbitraries.of(true, false), Arbitraries.of("h1", "h2").injectNull(0.3))
                .as(DocState::new);
    }

    @Provide
    Arbitrary<List<DocState>> stateLists() {
        return states().list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 1_000)
    void merge_is_commutative(@ForAll("states") DocState a, @ForAll("states") DocState b) {
        assertThat(ConflictRule.merge(a, b)).isEqualTo(ConflictRule.merge(b, a));
    }

    @Property(tries = 1_000)
    void merge_is_associative(@ForAll("states") DocState a, @ForAll("states") DocState b, @ForAll("states") DocState c) {
        assertThat(ConflictRule.merge(ConflictRule.merge(a, b), c)).isEqualTo(ConflictRule.merge(a, ConflictRule.merge(b, c)));
    }

    @Property(tries = 500)
    void merge_is_idempotent(@ForAll("states") DocState a, @ForAll("states") DocState b) {
        assertThat(ConflictRule.merge(a, a)).isEqualTo(a);
        DocState ab = ConflictRule.merge(a, b);
        assertThat(ConflictRule.merge(ab, b)).isEqualTo(ab);
        assertThat(ConflictRule.merge(ab, a)).isEqualTo(ab);
    }

    @Property(tries = 1_000)
    void merge_returns_one_of_its_arguments(@ForAll("states") DocState a, @ForAll("states") DocState b) {
        assertThat(ConflictRule.merge(a, b)).isIn(a, b);
    }

    @Property(tries = 1_000)
    void a_tombstone_beats_every_older_version_and_an_upsert_at_its_own_version(
            @ForAll("states") DocState tombstone, @ForAll("states") DocState other) {
        DocState t = new DocState(tombstone.version(), true, null);
        if (other.version().compareTo(t.version()) > 0) {
            assertThat(ConflictRule.merge(t, other)).isEqualTo(other);
            assertThat(ConflictRule.wins(t, other)).isFalse();
            return;
        }
        if (other.deleted() && other.version().equals(t.version())) {
            // two tombstones of one version (a replay): either way the document stays deleted
            assertThat(ConflictRule.merge(t, other).deleted()).isTrue();
            assertThat(ConflictRule.merge(other, t).deleted()).isTrue();
            return;
        }
        assertThat(ConflictRule.merge(t, other)).isEqualTo(t);
        assertThat(ConflictRule.merge(other, t)).isEqualTo(t);
        assertThat(ConflictRule.wins(t, other)).isTrue();
        assertThat(ConflictRule.wins(other, t)).isFalse();
    }

    @Property(tries = 500)
    void anything_wins_against_a_document_never_seen(@ForAll("states") DocState s) {
        assertThat(ConflictRule.wins(s, null)).isTrue();
    }

    @Property(tries = 500)
    void folding_any_permutation_with_duplicates_converges_on_the_max_version(
            @ForAll("stateLists") List<DocState> states, @ForAll Random random) {
        DocState reference = fold(states);

        List<DocState> shuffled = new ArrayList<>(states);
        Collections.shuffle(shuffled, random);
        assertThat(fold(shuffled)).isEqualTo(reference);

        List<DocState> redelivered = new ArrayList<>(states);
        for (int i = 0, n = 1 + random.nextInt(states.size() * 2); i < n; i++) {
            redelivered.add(states.get(random.nextInt(states.size())));
        }
        Collections.shuffle(redelivered, random);
        assertThat(fold(redelivered)).isEqualTo(reference);

        Version max = states.stream().map(DocState::version).max(Comparator.naturalOrder()).orElseThrow();
        assertThat(reference.version()).isEqualTo(max);
        boolean tombstoneAtMax = states.stream().anyMatch(s -> s.version().equals(max) && s.deleted());
        assertThat(reference.deleted()).isEqualTo(tombstoneAtMax);
        assertThat(states).contains(reference);
    }

    @Property(tries = 300)
    void folding_in_two_halves_on_two_nodes_then_merging_gives_the_same_result(
            @ForAll("stateLists") List<DocState> states, @ForAll Random random) {
        List<DocState> nodeA = new ArrayList<>();
        List<DocState> nodeB = new ArrayList<>();
        for (DocState s : states) {
            (random.nextBoolean() ? nodeA : nodeB).add(s);
        }
        DocState merged = nodeA.isEmpty() ? fold(nodeB)
                : nodeB.isEmpty() ? fold(nodeA) : ConflictRule.merge(fold(nodeA), fold(nodeB));
        assertThat(merged).isEqualTo(fold(states));
    }

    private static DocState fold(List<DocState> states) {
        DocState acc = null;
        for (DocState s : states) {
            acc = acc == null ? s : ConflictRule.merge(acc, s);
        }
        return acc;
    }
}
