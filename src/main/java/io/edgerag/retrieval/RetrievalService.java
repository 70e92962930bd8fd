package io.edgerag.retrieval;

import io.edgerag.common.Blocking;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Embeds the query once and asks the tiers. Only the local tier exists; the cloud fallback (local
 * best score below τ → cloud under a time budget → merge, dedupe by chunkId) plugs in at
 * {@link #searchTiers}.
 */
@ApplicationScoped
public class RetrievalService {

    private final Embedder embedder;
    private final LocalRetrievalTier local;
    private final EdgeragConfig.Retrieval config;
    private final Timer localTimer;

    public RetrievalService(Embedder embedder, LocalRetrievalTier local, EdgeragConfig config, MeterRegistry registry) {
        this.embedder = embedder;
        this.local = local;
        this.config = config.retrieval();
        this.localTimer = Timer.builder("edgerag.retrieval.latency").tag("tier", LocalRetrievalTier.NAME)
                .register(registry);
    }

    /** Validates at once (so errors surface as 400 before any streaming starts), searches off the event loop. */
    public Uni<RetrievalResult> retrieve(RetrievalQuery query) {
        int k = validate(query, config.defaultK());
        return Blocking.call(() -> retrieveBlocking(query, k));
    }

    public Uni<RetrievalResult> retrieve(RetrievalQuery query, int defaultK) {
        int k = validate(query, defaultK);
        return Blocking.call(() -> retrieveBlocking(query, k));
    }

    RetrievalResult retrieveBlocking(RetrievalQuery query, int k) {
        long start = System.nanoTime();
        float[] vector = embedder.embedQuery(query.query());
        List<Passage> passages = searchTiers(vector, k, query);
        long took = System.nanoTime() - start;
        localTimer.record(java.time.Duration.ofNanos(took));
        return new RetrievalResult(passages, LocalRetrievalTier.NAME, took / 1_000_000);
    }

    private List<Passage> searchTiers(float[] vector, int k, RetrievalQuery query) {
        return local.search(vector, k, blankToNull(query.collection()), query.filter());
    }

    int validate(RetrievalQuery query, int defaultK) {
        if (query == null || query.query() == null || query.query().isBlank()) {
            throw new InvalidRequestException("Query is empty");
        }
        int k = query.k() == null ? defaultK : query.k();
        if (k < 1 || k > config.maxK()) {
            throw new InvalidRequestException("k must be between 1 and " + config.maxK() + ", got " + k);
        }
        return k;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
