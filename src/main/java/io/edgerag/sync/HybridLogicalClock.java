package io.edgerag.sync;

import io.edgerag.store.local.VersionClock;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014) packed into one {@code long}: wall-clock
 * milliseconds in the high 48 bits, a logical counter in the low 16.
 *
 * <p>Why not the wall clock alone: edge boxes drift, jump back after NTP corrections and restart
 * with a wrong RTC. An HLC never goes backwards (a backward jump only grows the counter), stays
 * within the clock skew of real time, and moves past every version it has seen from other nodes,
 * so a write made after seeing a remote version always beats it. The store persists {@link #last()}
 * in every write transaction and {@link #observe}s it at start, so the clock also survives restarts.
 * A counter overflow (65,536 events in one millisecond) carries into the millisecond part.
 */
public final class HybridLogicalClock implements VersionClock {

    static final int LOGICAL_BITS = 16;

    private final LongSupplier wallMillis;
    private long last;

    public HybridLogicalClock() {
        this(System::currentTimeMillis);
    }

    public HybridLogicalClock(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    public static long physicalMillis(long hlc) {
        return hlc >>> LOGICAL_BITS;
    }

    public static long logical(long hlc) {
        return hlc & ((1L << LOGICAL_BITS) - 1);
    }

    public static long of(long physicalMillis, long logical) {
        return (physicalMillis << LOGICAL_BITS) | logical;
    }

    @Override
    public synchronized long next() {
        long now = of(Math.max(0, wallMillis.getAsLong()), 0);
        last = now > last ? now : last + 1;
        return last;
    }

    @Override
    public synchronized long last() {
        return last;
    }

    @Override
    public synchronized void observe(long version) {
        if (version > last) {
            last = version;
        }
    }
}
