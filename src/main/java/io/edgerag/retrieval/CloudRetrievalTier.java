package io.edgerag.retrieval;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.store.cloud.CloudMatch;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cloud store as a retrieval tier: one query under a time budget, behind a circuit breaker. It never
 * fails: an answer that is late, refused by the open circuit or failed comes back as an empty
 * {@link CloudAnswer} whose status says which, so the caller answers from local passages.
 *
 * <p>The budget is enforced here, inside the breaker, so that a slow cloud counts as a failing one and
 * opens the circuit; while it is open, fallbacks cost nothing.
 */
@ApplicationScoped
public class CloudRetrievalTier implements RetrievalTier {

    public static final String NAME = "cloud";
    private static final Logger LOG = Logger.getLogger(CloudRetrievalTier.class);

    private final CloudVectorStore store;
    private final Duration budget;
    private final TypedGuard<Uni<List<CloudMatch>>> breaker;
    private final Timer latency;
    private final Map<CloudStatus, Counter> outcomes = new EnumMap<>(CloudStatus.class);
    private volatile CircuitBreakerState circuit = CircuitBreakerState.CLOSED;

    public CloudRetrievalTier(CloudVectorStore store, EdgeragConfig config, MeterRegistry registry) {
        this.store = store;
        this.budget = config.retrieval().cloudBudget();
        EdgeragConfig.Retrieval.CloudBreaker b = config.retrieval().cloudBreaker();
        this.breaker = TypedGuard.create(new TypeLiteral<Uni<List<CloudMatch>>>() {
                })
                .withDescription("cloud retrieval")
                .withCircuitBreaker()
                .requestVolumeThreshold(b.requestVolumeThreshold())
                .failureRatio(b.failureRatio())
                .delay(b.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .onStateChange(this::circuitChanged)
                .done()
                .withThreadOffload(false)
                .build();
        this.latency = Timer.builder("edgerag.retrieval.latency").tag("tier", NAME).register(registry);
        for (CloudStatus status : CloudStatus.values()) {
            outcomes.put(status, Counter.builder("edgerag.retrieval.cloud.outcomes").tag("status", status.wire())
                    .description("Retrievals by what happened to the cloud tier").register(registry));
        }
        Gauge.builder("edgerag.retrieval.cloud.circuit.open", this, t -> t.circuit == CircuitBreakerState.CLOSED ? 0 : 1)
                .description("1 while the cloud circuit is open or half-open").register(registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    public boolean enabled() {
        return store.enabled();
    }

    /** Blocking form of the seam; retrieval uses {@link #searchWithinBudget}. */
    @Override
    public List<Passage> search(float[] queryVector, int k, String collection, Map<String, String> filter) {
        return searchWithinBudget(queryVector, k, collection, filter).await().indefinitely().passages();
    }

    /** Never fails, never blocks; completes within about the budget. */
    public Uni<CloudAnswer> searchWithinBudget(float[] queryVector, int k, String collection,
                                               Map<String, String> filter) {
        if (!store.enabled()) {
            return Uni.createFrom().item(CloudAnswer.without(CloudStatus.DISABLED));
        }
        Map<String, String> equality = filter == null ? Map.of() : filter;
        long start = System.nanoTime();
        return breaker.get(() -> store.query(collection, queryVector, k, equality).ifNoItem().after(budget).fail())
                .map(matches -> new CloudAnswer(matches.stream().map(m -> toPassage(m, collection))
                        .filter(Objects::nonNull).toList(), CloudStatus.USED))
                .onFailure().recoverWithItem(CloudRetrievalTier::failed)
                .invoke(answer -> {
                    latency.record(Duration.ofNanos(System.nanoTime() - start));
                    outcomes.get(answer.status()).increment();
                });
    }

    /** Counts a retrieval the cloud took no part in ({@code SKIPPED}: local was confident; {@code UNFILTERABLE}). */
    void countNotAsked(CloudStatus why) {
        outcomes.get(why).increment();
    }

    public CircuitBreakerState circuit() {
        return circuit;
    }

    private static CloudAnswer failed(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return CloudAnswer.without(CloudStatus.OPEN);
        }
        if (failure instanceof TimeoutException) {
            return CloudAnswer.without(CloudStatus.TIMEOUT);
        }
        LOG.debugf("Cloud retrieval failed: %s", failure.toString());
        return CloudAnswer.without(CloudStatus.ERROR);
    }

    private void circuitChanged(CircuitBreakerState state) {
        circuit = state;
        LOG.infof("Cloud retrieval circuit %s", state);
    }

    /**
     * A cloud record without text (residency-restricted collection: only vectors and hashes went up) is
     * dropped: this edge has no text to show for it.
     */
    static Passage toPassage(CloudMatch match, String collection) {
        Map<String, String> md = match.metadata();
        String text = md.get(CloudRecord.TEXT);
        if (text == null) {
            return null;
        }
        return new Passage(md.get(CloudRecord.DOC_ID), match.id(), text, match.score(), NAME, md.get(CloudRecord.SOURCE),
                md.get(CloudRecord.TITLE), collection);
    }
}
