package io.edgerag.store.local;

import java.util.concurrent.atomic.AtomicLong;

/** A plain per-store counter; the store persists {@link #last()} in its meta table in every write transaction. */
public final class MonotonicVersionClock implements VersionClock {

    private final AtomicLong last = new AtomicLong();

    @Override
    public long next() {
        return last.incrementAndGet();
    }

    @Override
    public long last() {
        return last.get();
    }

    @Override
    public void observe(long version) {
        last.accumulateAndGet(version, Math::max);
    }
}
