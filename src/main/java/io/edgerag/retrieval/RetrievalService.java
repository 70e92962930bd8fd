package io.edgerag.retrieval;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.edgerag.embedding.EmbeddingModels;
import io.edgerag.store.local.EmbeddingModelChangedException;
import io.edgerag.sync.cloud.CloudSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.edgerag.common.LowPriorityThreads;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jakarta.enterprise.context.ApplicationScoped;

import io.edgerag.retrieval.fusion.FusionMethod;
import io.edgerag.security.Caller;
import io.edgerag.store.cloud.CloudRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds the query once and asks the local tier (on a worker thread: ONNX, FAISS and Lucene block) in the
 * request's mode (vector, keyword or hybrid; the configured default otherwise). When the best local
 * cosine similarity among the passages it returns is at least τ ({@link FallbackThreshold}) that is the answer; otherwise the cloud
 * tier is asked within its budget, without blocking, and the two are merged (one passage per chunkId, the
 * local copy kept, best first). The cloud never turns an answer into an error: a late, refused or failed
 * cloud leaves the local passages, with {@link RetrievalResult#cloudStatus()} saying why.
 *
 * <p>Traces: {@code retrieve.local} (embedding + local search) and, when the cloud is asked,
 * {@code retrieve.cloud}, both children of the span current when {@link #retrieve} was called (the
 * HTTP request's): the work hops threads, so the parent is captured once and passed on explicitly.
 */
@ApplicationScoped
public class RetrievalService {

    private final EmbeddingModels models;
    private final LocalRetrievalTier local;
    private final CloudRetrievalTier cloud;
    private final EdgeragConfig.Retrieval config;
    private final double threshold;
    private final Timer localTimer;
    private final Counter localHits;
    private final Counter localMisses;
    private final Tracer tracer;
    /**
     * A chat turn's local retrieval (embedding, both indexes, fusion) runs on these, at nice 10: the turn's answer
     * takes seconds of generation anyway, so it gives way to a search instead of doubling its p99 (issue 10).
     */
    private final ExecutorService chatRetrievals;

    public RetrievalService(EmbeddingModels models, LocalRetrievalTier local, CloudRetrievalTier cloud,
                            EdgeragConfig config, MeterRegistry registry, Tracer tracer) {
        this.tracer = tracer;
        this.models = models;
        this.local = local;
        this.cloud = cloud;
        this.config = config.retrieval();
        this.threshold = FallbackThreshold.of(config);
        this.localTimer = Timer.builder("edgerag.retrieval.latency").tag("tier", LocalRetrievalTier.NAME)
                .register(registry);
        this.localHits = localCounter(registry, "hit");
        this.localMisses = localCounter(registry, "miss");
        this.chatRetrievals = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                new LowPriorityThreads("edgerag-chat-retrieval", LowPriorityThreads.YIELDING));
    }

    @PreDestroy
    void close() {
        chatRetrievals.shutdownNow();
    }

    /**
     * {@code edgerag_retrieval_local_total{result}}: hit when the best local similarity reached τ (the
     * local tier alone was confident), miss when it did not (the cloud is asked, if there is one). The
     * local hit ratio is hit / (hit + miss), in standalone mode too.
     */
    private static Counter localCounter(MeterRegistry registry, String result) {
        return Counter.builder("edgerag.retrieval.local").tag("result", result)
                .description("Retrievals by whether the local tier alone was confident (best similarity >= tau)")
                .register(registry);
    }

    /** Validates at once (so errors surface as 400 before any streaming starts), searches off the event loop. */
    public Uni<RetrievalResult> retrieve(RetrievalQuery query) {
        return retrieve(query, config.defaultK());
    }

    public Uni<RetrievalResult> retrieve(RetrievalQuery query, int defaultK) {
        return retrieve(query, defaultK, false);
    }

    /**
     * {@code alwaysAskCloud}: merge the cloud in even when the local tier is confident (read level
     * {@code fresh}, or a read-your-writes token this node has not applied yet; see {@code ConsistentReads}).
     */
    public Uni<RetrievalResult> retrieve(RetrievalQuery query, int defaultK, boolean alwaysAskCloud) {
        int k = validate(query, defaultK);
        long start = System.nanoTime();
        String collection = blankToNull(query.collection());
        RetrievalMode mode = query.mode() == null ? config.mode() : query.mode();
        FusionMethod fusion = query.fusion() == null ? config.fusion().method() : query.fusion();
        Context parent = Context.current();
        return Uni.createFrom().item(() -> searchLocal(query, mode, fusion, k, parent))
                .runSubscriptionOn(query.purpose() == RetrievalQuery.Purpose.CHAT ? chatRetrievals
                        : Infrastructure.getDefaultWorkerPool())
                .flatMap(found -> askCloudIfUnsure(found, k, collection, query, mode, alwaysAskCloud, parent))
                .map(merged -> new RetrievalResult(merged.passages(), PassageMerge.tiers(merged.passages()),
                        (System.nanoTime() - start) / 1_000_000, merged.status(), merged.embeddingModel()));
    }

    /** Local passages and the query vector (made with {@code model}), which the cloud reuses. */
    private record LocalFound(String model, float[] vector, List<Passage> passages) {
        double best() {
            return passages.stream().mapToDouble(Passage::score).max().orElse(Double.NEGATIVE_INFINITY);
        }
    }

    private LocalFound searchLocal(RetrievalQuery query, RetrievalMode mode, FusionMethod fusion, int k, Context parent) {
        Span span = tracer.spanBuilder("retrieve.local").setParent(parent)
                .setAttribute("edgerag.retrieval.k", k).setAttribute("edgerag.retrieval.mode", mode.wire()).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            long start = System.nanoTime();
            // embedded in every mode: the cosine of each passage is the confidence signal for the cloud fallback
            LocalFound found = searchServingModel(query, mode, fusion, k);
            localTimer.record(java.time.Duration.ofNanos(System.nanoTime() - start));
            List<Passage> passages = found.passages();
            boolean hit = found.best() >= threshold;
            (hit ? localHits : localMisses).increment();
            span.setAttribute("edgerag.retrieval.passages", passages.size());
            span.setAttribute("edgerag.retrieval.local_hit", hit);
            if (!passages.isEmpty()) {
                span.setAttribute("edgerag.retrieval.best_score", found.best());
            }
            return found;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * The query embedded with the model the store serves, searched as one pair: the store refuses the vector
     * if a cut-over or rollback swapped its model in between, and the query is embedded again.
     */
    private LocalFound searchServingModel(RetrievalQuery query, RetrievalMode mode, FusionMethod fusion, int k) {
        for (int attempt = 1; ; attempt++) {
            String model = models.servingId();
            Embedder embedder = models.forModel(model);
            float[] vector = query.purpose() == RetrievalQuery.Purpose.CHAT
                    ? embedder.embedQueryOnOneCore(query.query())
                    : embedder.embedQuery(query.query());
            try {
                return new LocalFound(model, vector,
                        local.search(vector, model, query.query(), mode, fusion, k, query.localFilter()));
            } catch (EmbeddingModelChangedException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The passages to answer with, what happened to the cloud on the way, and the model they were ranked by. */
    private record Merged(List<Passage> passages, CloudStatus status, String embeddingModel) {
    }

    /**
     * The cloud store is dense-only: it is asked with the query vector, and its passages join the local
     * ones by cosine in vector mode, by reciprocal rank in keyword and hybrid mode (the local order is a
     * fused one there, which a cosine sort would undo).
     */
    private Uni<Merged> askCloudIfUnsure(LocalFound found, int k, String collection, RetrievalQuery query,
                                         RetrievalMode mode, boolean alwaysAskCloud, Context parent) {
        if (!cloud.enabled()) {
            return Uni.createFrom().item(new Merged(found.passages(), CloudStatus.DISABLED, found.model()));
        }
        if (found.best() >= threshold && !alwaysAskCloud) {
            return notAsked(found, CloudStatus.SKIPPED);
        }
        if (query.dateRange() != null) {
            return notAsked(found, CloudStatus.UNFILTERABLE);
        }
        Map<String, String> equality = new HashMap<>(query.filter() == null ? Map.of() : query.filter());
        // the cloud namespace holds records of every model an edge wrote with: only those of this query's model
        equality.put(CloudSink.EMBEDDING_MODEL, found.model());
        if (query.source() != null && !query.source().isBlank()) {
            equality.put(CloudRecord.SOURCE, query.source());
        }
        Span span = tracer.spanBuilder("retrieve.cloud").setParent(parent)
                .setAttribute("edgerag.retrieval.k", k).startSpan();
        return askCloudInScope(found.vector(), k, collection, query, equality)
                .onTermination().invoke((answer, failure, cancelled) -> {
                    if (answer != null) {
                        span.setAttribute("edgerag.cloud.status", answer.status().wire());
                        span.setAttribute("edgerag.retrieval.passages", answer.passages().size());
                        if (answer.status() != CloudStatus.USED) {
                            span.setStatus(StatusCode.ERROR, "cloud " + answer.status());
                        }
                    } else if (failure != null) {
                        span.recordException(failure);
                        span.setStatus(StatusCode.ERROR);
                    }
                    span.end();
                })
                .map(answer -> new Merged(mode == RetrievalMode.VECTOR
                        ? PassageMerge.merge(found.passages(), answer.passages(), k)
                        : PassageMerge.mergeByRank(found.passages(), answer.passages(), k),
                        answer.status(), found.model()));
    }

    /**
     * A cloud collection is a namespace of its own, so a scoped caller who names no collection is answered
     * from the namespaces of its scope only — the scope is enforced by where the server looks, not by a
     * filter a client could widen.
     */
    private Uni<CloudAnswer> askCloudInScope(float[] vector, int k, String collection, RetrievalQuery query,
                                             Map<String, String> equality) {
        if (collection != null || query.unscoped()) {
            return cloud.searchWithinBudget(vector, k, collection, equality);
        }
        List<Uni<CloudAnswer>> asks = query.scope().stream().sorted()
                .map(c -> c.equals(Caller.DEFAULT_COLLECTION) ? null : c)
                .map(c -> cloud.searchWithinBudget(vector, k, c, equality))
                .toList();
        return Uni.join().all(asks).andFailFast().map(answers -> CloudAnswer.combine(answers, k));
    }

    private Uni<Merged> notAsked(LocalFound found, CloudStatus why) {
        cloud.countNotAsked(why);
        return Uni.createFrom().item(new Merged(found.passages(), why, found.model()));
    }

    /** k of a search that names none. */
    public int defaultK() {
        return config.defaultK();
    }

    /** The ranking used when a request names none. */
    public RetrievalMode defaultMode() {
        return config.mode();
    }

    /** τ in force (configured or the embedding model's default). */
    public double threshold() {
        return threshold;
    }

    public int validate(RetrievalQuery query, int defaultK) {
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
