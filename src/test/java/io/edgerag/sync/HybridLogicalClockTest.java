package io.edgerag.sync;

import static io.edgerag.sync.HybridLogicalClock.logical;
import static io.edgerag.sync.HybridLogicalClock.of;
import static io.edgerag.sync.HybridLogicalClock.physicalMillis;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of {@link HybridLogicalClock} under an injected wall clock that jumps forwards and
 * backwards, with remote versions from the past and the future.
 */
class HybridLogicalClockTest {

    /** Wall clocks start somewhere in [0, 2^44) ms: far from the 48-bit limit, far from zero too. */
    private static final long MAX_START = 1L << 44;

    /** A settable wall clock. */
    private static final class Wall {
        long now;

        long get() {
            return now;
        }
    }

    /**
     * One step of a scenario: move the wall clock by {@code wallDelta} (may be negative: NTP step,
     * RTC reset), then either tick or observe a remote version made {@code remoteOffset} ms away from
     * the current wall time with logical counter {@code remoteLogical}.
     */
    record Step(long wallDelta, boolean observe, long remoteOffset, int remoteLogical) {
    }

    @Provide
    Arbitrary<Long> wallDeltas() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(0L)),                          // same millisecond
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 5)),             // normal progress
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-5_000, -1)),       // small step back
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-86_400_000L, -5_001)), // big step back
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(5_001, 86_400_000L)));  // big jump ahead
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> remoteOffsets = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(-3_600_000L, 3_600_000L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-3, 3)));
        Arbitrary<Step> step = Combinators.combine(wallDeltas(), Arbitraries.integers().between(0, 3).map(i -> i == 0),
                remoteOffsets, Arbitraries.integers().between(0, 1_000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Long>> wallSequences() {
        return wallDeltas().list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 300)
    void next_is_strictly_increasing_and_never_below_the_wall_clock(
            @ForAll @LongRange(min = 0, max = MAX_START) long start, @ForAll("wallSequences") List<Long> deltas) {
        Wall wall = new Wall();
        wall.now = start;
        HybridLogicalClock clock = new HybridLogicalClock(wall::get);
        long previous = Long.MIN_VALUE;
        for (long d : deltas) {
            wall.now = Math.max(0, wall.now + d);
            long t = clock.next();
            assertThat(t).as("next() after wall %d", wall.now).isGreaterThan(previous);
            assertThat(physicalMillis(t)).as("physical part of %d vs wall %d", t, wall.now).isGreaterThanOrEqualTo(wall.now);
            assertThat(clock.last()).isEqualTo(t);
            previous = t;
        }
    }

    @Property(tries = 300)
    void next_moves_past_everything_observed_and_drifts_no_further_than_the_largest_time_seen(
            @ForAll @LongRange(min = 4_000_000_000L, max = MAX_START) long start, @ForAll("steps") List<Step> steps) {
        Wall wall = new Wall();
        wall.now = start;
        HybridLogicalClock clock = new HybridLogicalClock(wall::get);
        long greatestSeen = Long.MIN_VALUE; // every value handed out or observed
        long maxWall = start;
        long maxObservedPhysical = 0;
        Long pendingRemote = null;
        for (Step s : steps) {
            wall.now = Math.max(0, wall.now + s.wallDelta());
            maxWall = Math.max(maxWall, wall.now);
            if (s.observe()) {
                long remote = of(Math.max(0, wall.now + s.remoteOffset()), s.remoteLogical());
                clock.observe(remote);
                greatestSeen = Math.max(greatestSeen, remote);
                maxObservedPhysical = Math.max(maxObservedPhysical, physicalMillis(remote));
                pendingRemote = remote;
                continue;
            }
            long t = clock.next();
            if (pendingRemote != null) {
                assertThat(t).as("next() after observe(%d)", pendingRemote).isGreaterThan(pendingRemote);
                pendingRemote = null;
            }
            assertThat(t).as("next() vs everything seen before").isGreaterThan(greatestSeen);
            assertThat(physicalMillis(t)).isGreaterThanOrEqualTo(wall.now);
            // At most 200 steps with remote counters <= 1000: the 16-bit counter cannot overflow here,
            // so the physical part never leaves the largest wall or remote time it has seen.
            assertThat(physicalMillis(t)).as("bounded drift").isLessThanOrEqualTo(Math.max(maxWall, maxObservedPhysical));
            greatestSeen = t;
        }
    }

    @Property(tries = 5)
    void more_than_65535_events_in_one_millisecond_carry_into_the_physical_part_and_stay_increasing(
            @ForAll @LongRange(min = 1, max = MAX_START) long frozenWall, @ForAll @IntRange(min = 1, max = 5_000) int extra) {
        HybridLogicalClock clock = new HybridLogicalClock(() -> frozenWall);
        long previous = clock.next();
        assertThat(previous).isEqualTo(of(frozenWall, 0));
        int events = 65_536 + extra;
        for (int i = 1; i < events; i++) {
            long t = clock.next();
            assertThat(t).isGreaterThan(previous);
            previous = t;
        }
        assertThat(physicalMillis(previous)).isEqualTo(frozenWall + 1);
        assertThat(logical(previous)).isEqualTo(extra - 1);
    }

    @Property(tries = 200)
    void observing_a_remote_version_with_a_full_counter_still_yields_a_greater_next(
            @ForAll @LongRange(min = 0, max = MAX_START) long wallNow, @ForAll @LongRange(min = 0, max = 10_000) long remoteAhead) {
        HybridLogicalClock clock = new HybridLogicalClock(() -> wallNow);
        long remote = of(wallNow + remoteAhead, 0xFFFF);
        clock.observe(remote);
        long t = clock.next();
        assertThat(t).isGreaterThan(remote);
        assertThat(clock.next()).isGreaterThan(t);
    }

    @Property(tries = 300)
    void a_restarted_clock_that_observes_the_persisted_value_continues_above_it(
            @ForAll @LongRange(min = 100_000_000L, max = MAX_START) long start,
            @ForAll("wallSequences") List<Long> before,
            @ForAll @LongRange(min = 0, max = 30L * 86_400_000L) long wallWentBackBy,
            @ForAll("wallSequences") List<Long> after) {
        Wall wall = new Wall();
        wall.now = start;
        HybridLogicalClock first = new HybridLogicalClock(wall::get);
        List<Long> issued = new ArrayList<>();
        for (long d : before) {
            wall.now = Math.max(0, wall.now + d);
            issued.add(first.next());
        }
        long persisted = first.last();
        assertThat(persisted).isEqualTo(issued.get(issued.size() - 1));

        Wall restartedWall = new Wall();
        restartedWall.now = Math.max(0, wall.now - wallWentBackBy);
        HybridLogicalClock second = new HybridLogicalClock(restartedWall::get);
        second.observe(persisted);
        assertThat(second.last()).isEqualTo(persisted);
        long previous = persisted;
        for (long d : after) {
            restartedWall.now = Math.max(0, restartedWall.now + d);
            long t = second.next();
            assertThat(t).as("after restart, wall %d", restartedWall.now).isGreaterThan(previous);
            previous = t;
        }
    }

    @Property(tries = 200)
    void observing_an_older_value_never_moves_the_clock_back(
            @ForAll @LongRange(min = 1_000, max = MAX_START) long wallNow, @ForAll @LongRange(min = 1, max = 1_000) long behind) {
        HybridLogicalClock clock = new HybridLogicalClock(() -> wallNow);
        long t = clock.next();
        clock.observe(of(wallNow - behind, 3));
        assertThat(clock.last()).isEqualTo(t);
        assertThat(clock.next()).isGreaterThan(t);
    }
}
