package io.edgerag.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.Cancellable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LaneTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Lane lane(int concurrent, int queued, Duration timeout) {
        return new Lane("test", concurrent, queued, timeout, Duration.ofSeconds(3), registry);
    }

    private double refused(String reason) {
        return registry.get("edgerag.admission.refused").tag("lane", "test").tag("reason", reason).counter().count();
    }

    @Test
    void should_admit_up_to_max_concurrent_then_queue_then_refuse_at_once() {
        Lane lane = lane(2, 1, Duration.ofMinutes(1));
        var a = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        var b = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        var c = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        var d = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());

        a.assertCompleted();
        b.assertCompleted();
        c.assertNotTerminated();
        d.assertFailedWith(OverloadedException.class, "all 2 slots busy and 1 waiting");
        assertThat(((OverloadedException) d.getFailure()).retryAfterSeconds()).isEqualTo(3);
        assertThat(((OverloadedException) d.getFailure()).refusal()).isEqualTo(Lane.Refusal.QUEUE_FULL);
        assertThat(lane.inFlight()).isEqualTo(2);
        assertThat(lane.queued()).isEqualTo(1);
        assertThat(refused("queue_full")).isEqualTo(1.0);

        a.getItem().release();
        c.assertCompleted();
        assertThat(lane.inFlight()).isEqualTo(2);
        assertThat(lane.queued()).isZero();
    }

    @Test
    void should_count_a_permit_once_however_often_it_is_released() {
        Lane lane = lane(1, 0, Duration.ofMinutes(1));
        Lane.Permit permit = lane.acquire().await().indefinitely();
        permit.release();
        permit.release();
        assertThat(lane.inFlight()).isZero();
        lane.acquire().await().indefinitely();
        assertThat(lane.inFlight()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_waiter_whose_deadline_passed_and_forget_it() {
        Lane lane = lane(1, 4, Duration.ofMillis(100));
        Lane.Permit held = lane.acquire().await().indefinitely();
        var waiter = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());

        waiter.awaitFailure(Duration.ofSeconds(10));
        assertThat(waiter.getFailure()).isInstanceOf(OverloadedException.class).hasMessageContaining("within 100 ms");
        assertThat(lane.queued()).isZero();
        assertThat(refused("queue_timeout")).isEqualTo(1.0);
        held.release();
        assertThat(lane.inFlight()).isZero();
    }

    @Test
    void should_take_a_cancelled_waiter_out_of_the_queue_and_pass_the_slot_to_the_next() {
        Lane lane = lane(1, 4, Duration.ofMinutes(1));
        Lane.Permit held = lane.acquire().await().indefinitely();
        var gone = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        var next = lane.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());

        gone.cancel();
        assertThat(lane.queued()).isEqualTo(1);
        held.release();

        next.assertCompleted();
        assertThat(lane.inFlight()).isEqualTo(1);
        assertThat(registry.get("edgerag.admission.cancelled").tag("lane", "test").counter().count()).isEqualTo(1.0);
    }

    @Test
    void should_release_the_permit_when_the_work_run_in_the_lane_ends_in_any_way() {
        Lane lane = lane(1, 0, Duration.ofMinutes(1));
        assertThat(lane.run(() -> Uni.createFrom().item("ok")).await().indefinitely()).isEqualTo("ok");
        assertThat(lane.inFlight()).isZero();

        var failed = lane.run(() -> Uni.createFrom().failure(new IllegalStateException("boom")))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        failed.assertFailedWith(IllegalStateException.class, "boom");
        assertThat(lane.inFlight()).isZero();

        var never = lane.run(() -> Uni.createFrom().nothing()).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(lane.inFlight()).isEqualTo(1);
        never.cancel();
        assertThat(lane.inFlight()).isZero();
    }

    /**
     * Acquire, time out, run-and-cancel and release from many threads at once: no slot may leak or be
     * handed out twice. (A cancelled bare {@code acquire()} could lose a permit in flight — see its javadoc —
     * which is why callers that may go away use {@code run} or a callback that releases.)
     */
    @Test
    void should_leak_no_slot_under_concurrent_acquire_cancel_timeout_and_release() throws Exception {
        Lane lane = lane(3, 5, Duration.ofMillis(5));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxHolders = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    if (random.nextInt(4) == 0) {
                        // work whose client goes away while it waits or runs
                        Cancellable c = lane.run(() -> Uni.createFrom().item(1)).subscribe().with(x -> { }, e -> { });
                        c.cancel();
                        continue;
                    }
                    try {
                        Lane.Permit p = lane.acquire().await().atMost(Duration.ofSeconds(5));
                        maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        if (random.nextBoolean()) {
                            Thread.onSpinWait();
                        }
                        holders.decrementAndGet();
                        p.release();
                    } catch (OverloadedException refused) {
                        // expected under this load
                    }
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(lane.inFlight()).isZero();
            assertThat(lane.queued()).isZero();
        });
        assertThat(maxHolders.get()).isLessThanOrEqualTo(3);
        for (int i = 0; i < 3; i++) {
            lane.acquire().await().indefinitely();
        }
        assertThat(lane.inFlight()).isEqualTo(3);
    }
}
