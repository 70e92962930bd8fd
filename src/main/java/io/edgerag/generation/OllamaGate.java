package io.edgerag.generation;

import io.edgerag.config.EdgeragConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small circuit breaker in front of Ollama. Closed: every chat goes to Ollama. After
 * {@code failure-threshold} consecutive failures it opens: chats get the extractive answer at once,
 * with no network call. After {@code open-duration} one trial chat is let through (half-open); its
 * outcome closes or re-opens the circuit. A failed {@code /api/tags} probe (health check) opens it too.
 *
 * <p>A hand-written breaker rather than {@code @CircuitBreaker}: the call being guarded is a stream,
 * and success is only known when it ends.
 */
@ApplicationScoped
public class OllamaGate {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openDuration;
    private final Duration probeTimeout;
    private final URI tagsUri;
    private final HttpClient probeClient;
    private final Clock clock = Clock.systemUTC();

    private State state = State.CLOSED;
    private int failures;
    private Instant openUntil = Instant.MIN;
    private String lastError;

    public OllamaGate(EdgeragConfig config, MeterRegistry registry) {
        this.threshold = Math.max(1, config.ollama().breaker().failureThreshold());
        this.openDuration = config.ollama().breaker().openDuration();
        this.probeTimeout = config.ollama().probeTimeout();
        this.tagsUri = URI.create(config.ollama().baseUrl().replaceAll("/+$", "") + "/api/tags");
        this.probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(probeTimeout).build();
        Gauge.builder("edgerag.ollama.circuit.open", this, g -> g.state() == State.CLOSED ? 0 : 1)
                .description("1 while the Ollama circuit is open or half-open").register(registry);
    }

    /** @return true when a chat may go to Ollama now; false means answer degraded without trying. */
    public synchronized boolean tryAcquire() {
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            state = State.HALF_OPEN;
            return true;
        }
        return false;
    }

    public synchronized void onSuccess() {
        state = State.CLOSED;
        failures = 0;
        lastError = null;
    }

    public synchronized void onFailure(Throwable error) {
        failures++;
        lastError = describe(error);
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openUntil = clock.instant().plus(openDuration);
        }
    }

    /**
     * The chat let through as the half-open trial went away before it ended (its client disconnected):
     * the next chat becomes the trial instead of the circuit staying half-open for good.
     */
    public synchronized void abandonTrial() {
        if (state == State.HALF_OPEN) {
            state = State.OPEN;
            openUntil = Instant.MIN;
        }
    }

    /** Probes {@code GET /api/tags}; a failure opens the circuit at once, a success closes it. */
    public boolean probe() {
        try {
            HttpResponse<Void> response = probeClient.send(HttpRequest.newBuilder(tagsUri).timeout(probeTimeout)
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                onSuccess();
                return true;
            }
            openNow("GET /api/tags answered " + response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            openNow("probe interrupted");
        } catch (Exception e) {
            openNow(describe(e));
        }
        return false;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized String lastError() {
        return lastError;
    }

    /** Closes the circuit and forgets failures (tests, operators). */
    public synchronized void reset() {
        onSuccess();
    }

    private synchronized void openNow(String reason) {
        failures = Math.max(failures, threshold);
        lastError = reason;
        state = State.OPEN;
        openUntil = clock.instant().plus(openDuration);
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
