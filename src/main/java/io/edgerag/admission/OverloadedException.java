package io.edgerag.admission;

import java.time.Duration;

/** A lane refused work: its slots and queue were full, or the wait ran past its deadline. Maps to 503 + Retry-After. */
public class OverloadedException extends RuntimeException {

    private final String lane;
    private final Lane.Refusal refusal;
    private final Duration retryAfter;

    public OverloadedException(String lane, Lane.Refusal refusal, Duration retryAfter, String message) {
        super(message, null, false, false);
        this.lane = lane;
        this.refusal = refusal;
        this.retryAfter = retryAfter;
    }

    public String lane() {
        return lane;
    }

    public Lane.Refusal refusal() {
        return refusal;
    }

    /** Whole seconds, at least 1: the value of the {@code Retry-After} header. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
