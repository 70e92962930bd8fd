package io.edgerag.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A bulkhead that never blocks a thread: at most {@code maxConcurrent} holders of a {@link Permit},
 * at most {@code maxQueued} waiting in FIFO order, each for at most {@code queueTimeout}; past that the
 * acquiring {@code Uni} fails with {@link OverloadedException}. A permit lives as long as the work it
 * admits (for a chat: the whole stream, until done or cancelled) and is released exactly once.
 *
 * <p>Hand-written rather than SmallRye Fault Tolerance's {@code @Bulkhead}: that one has no deadline
 * for waiting, and its permit ends when the method returns, not when a stream ends.
 *
 * <p>Metrics, tagged {@code lane}: {@code edgerag_admission_in_flight}, {@code edgerag_admission_queued},
 * {@code edgerag_admission_refused_total{reason}}, {@code edgerag_admission_degraded_total},
 * {@code edgerag_admission_cancelled_total}, {@code edgerag_admission_wait_seconds}.
 */
public final class Lane {

    /** Why a lane refused: {@code queue_full} at once, {@code queue_timeout} after waiting. */
    public enum Refusal {
        QUEUE_FULL("queue_full"), QUEUE_TIMEOUT("queue_timeout");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final String name;
    private final String configPrefix;
    private final int maxConcurrent;
    private final int maxQueued;
    private final Duration queueTimeout;
    private final Duration retryAfter;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;

    private final Counter refusedFull;
    private final Counter refusedTimeout;
    private final Counter degraded;
    private final Counter cancelled;
    private final Timer waited;

    public Lane(String name, int maxConcurrent, int maxQueued, Duration queueTimeout, Duration retryAfter,
                MeterRegistry registry) {
        if (maxConcurrent < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("edgerag.admission." + name
                    + ": max-concurrent must be at least 1 and max-queued at least 0");
        }
        this.name = name;
        this.configPrefix = "edgerag.admission." + name;
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.queueTimeout = queueTimeout;
        this.retryAfter = retryAfter;
        Gauge.builder("edgerag.admission.in.flight", this, Lane::inFlight).tag("lane", name)
                .description("Work admitted and not yet finished").register(registry);
        Gauge.builder("edgerag.admission.queued", this, Lane::queued).tag("lane", name)
                .description("Work waiting for a slot").register(registry);
        this.refusedFull = refused(registry, Refusal.QUEUE_FULL);
        this.refusedTimeout = refused(registry, Refusal.QUEUE_TIMEOUT);
        this.degraded = Counter.builder("edgerag.admission.degraded").tag("lane", name)
                .description("Refused work answered in a degraded way instead (chats: extractive answer)")
                .register(registry);
        this.cancelled = Counter.builder("edgerag.admission.cancelled").tag("lane", name)
                .description("Work whose client went away while it waited or ran; its slot was freed at once")
                .register(registry);
        this.waited = Timer.builder("edgerag.admission.wait").tag("lane", name)
                .description("Time admitted work waited for its slot").register(registry);
    }

    private Counter refused(MeterRegistry registry, Refusal refusal) {
        return Counter.builder("edgerag.admission.refused").tag("lane", name).tag("reason", refusal.tag())
                .description("Work refused: slots and queue full, or the wait ran past its deadline")
                .register(registry);
    }

    /** One slot, released exactly once whichever of its owners (stream end, cancellation, response end) comes first. */
    public final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                Lane.this.release();
            }
        }

        public boolean released() {
            return released.get();
        }
    }

    private static final class Waiter {
        final CompletableFuture<Permit> future = new CompletableFuture<>();
        final long since = System.nanoTime();
    }

    /**
     * A permit now, or after waiting in the queue; fails with {@link OverloadedException}. Lazy: acts on
     * subscription. Cancelling while queued leaves the queue; but a permit already on its way to a
     * subscriber that cancels at that instant would be lost, so callers that may go away while waiting
     * do not cancel: they subscribe with a callback and release what arrives when it is no longer wanted
     * (as {@link #run} and the chat routes do).
     */
    public Uni<Permit> acquire() {
        return Uni.createFrom().deferred(() -> {
            Waiter waiter;
            synchronized (this) {
                if (inFlight < maxConcurrent && queue.isEmpty()) {
                    inFlight++;
                    return Uni.createFrom().item(new Permit());
                }
                if (queue.size() >= maxQueued) {
                    refusedFull.increment();
                    return Uni.createFrom().failure(overloaded(Refusal.QUEUE_FULL));
                }
                waiter = new Waiter();
                queue.addLast(waiter);
            }
            return Uni.createFrom().completionStage(waiter.future)
                    .ifNoItem().after(queueTimeout).failWith(() -> overloaded(Refusal.QUEUE_TIMEOUT))
                    .onFailure().invoke(e -> abandon(waiter, false))
                    .onCancellation().invoke(() -> abandon(waiter, true));
        });
    }

    /**
     * Runs {@code work} holding a permit, released when its {@code Uni} ends in any way. Cancelling the
     * returned {@code Uni} cancels the work, or — while it still waits — gives the permit back when it comes.
     */
    public <T> Uni<T> run(Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicReference<Cancellable> running = new AtomicReference<>();
            // item, failure or cancellation: after an item or failure the work is over and cancel() is a no-op
            emitter.onTermination(() -> {
                Cancellable c = running.getAndSet(GONE);
                if (c != null) {
                    c.cancel();
                }
            });
            acquire().subscribe().with(permit -> {
                if (running.get() == GONE) {
                    cancelled.increment();
                    permit.release();
                    return;
                }
                Cancellable c = Uni.createFrom().<T>deferred(work)
                        .onTermination().invoke((item, failure, wasCancelled) -> {
                            if (wasCancelled) {
                                cancelled.increment();
                            }
                            permit.release();
                        })
                        .subscribe().with(emitter::complete, emitter::fail);
                if (!running.compareAndSet(null, c)) {
                    c.cancel();
                }
            }, emitter::fail);
        });
    }

    private static final Cancellable GONE = () -> { };

    /** The waiter gave up (deadline or its client went away); a permit handed to it meanwhile goes back. */
    private void abandon(Waiter waiter, boolean clientGone) {
        boolean wasQueued;
        synchronized (this) {
            wasQueued = queue.remove(waiter);
        }
        if (wasQueued) {
            if (clientGone) {
                cancelled.increment();
            } else {
                refusedTimeout.increment();
            }
        } else if (!waiter.future.cancel(false)) {
            // release() handed it a slot just before it gave up: nobody will use that slot, so give it back
            Permit granted = waiter.future.getNow(null);
            if (granted != null) {
                granted.release();
            }
        }
    }

    private void release() {
        while (true) {
            Waiter next;
            synchronized (this) {
                next = queue.pollFirst();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            // the slot passes to the next waiter; it fails only when that waiter gave up in the meantime
            if (next.future.complete(new Permit())) {
                waited.record(Duration.ofNanos(System.nanoTime() - next.since));
                return;
            }
        }
    }

    private OverloadedException overloaded(Refusal refusal) {
        String why = refusal == Refusal.QUEUE_FULL
                ? "all " + maxConcurrent + " slots busy and " + maxQueued + " waiting"
                : "no slot came free within " + queueTimeout.toMillis() + " ms";
        return new OverloadedException(name, refusal, retryAfter,
                "Too busy to take this " + name + " request now (" + why + "; " + configPrefix + ".*). Retry after "
                        + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s.");
    }

    public void countDegraded() {
        degraded.increment();
    }

    public void countCancelled() {
        cancelled.increment();
    }

    public String name() {
        return name;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queue.size();
    }
}
