package io.edgerag.api;

import io.edgerag.embedding.Embedder;
import io.edgerag.generation.OllamaGate;
import io.edgerag.retrieval.CloudRetrievalTier;
import io.edgerag.retrieval.CloudStatus;
import io.edgerag.retrieval.LocalRetrievalTier;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.sync.SyncStatus;
import io.edgerag.sync.cloud.CloudSinkConfig;
import io.edgerag.sync.cloud.SinkOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The appliance's own status page ({@code GET /status}, static HTML + JS) and the JSON it polls
 * ({@code GET /api/status}): one snapshot of mode, local store, retrieval, generation, sync, the
 * cloud sink and the source connectors. Numbers come from the Micrometer registry by meter name (the
 * same ones {@code /q/metrics} exports), so the page and Prometheus never disagree; states come from the beans that hold them.
 * Nothing here calls out: Ollama's state is the circuit as the last chat or readiness probe left it.
 */
@Path("/")
public class StatusResource {

    private static final List<CloudStatus> FALLBACKS =
            List.of(CloudStatus.USED, CloudStatus.TIMEOUT, CloudStatus.OPEN, CloudStatus.ERROR);

    private final MeterRegistry registry;
    private final SyncStatus sync;
    private final DurableVectorStore store;
    private final Embedder embedder;
    private final OllamaGate ollama;
    private final CloudRetrievalTier cloudTier;
    private final CloudVectorStore cloud;
    private final CloudSinkConfig sink;
    private final io.edgerag.consistency.PeerAcks peers;
    private final io.edgerag.consistency.ConsistencyMetrics consistency;
    private final io.edgerag.ingest.connector.Connectors connectors;

    public StatusResource(MeterRegistry registry, SyncStatus sync, DurableVectorStore store, Embedder embedder,
                          OllamaGate ollama, CloudRetrievalTier cloudTier, CloudVectorStore cloud, CloudSinkConfig sink,
                          io.edgerag.consistency.PeerAcks peers, io.edgerag.consistency.ConsistencyMetrics consistency,
                          io.edgerag.ingest.connector.Connectors connectors) {
        this.connectors = connectors;
        this.peers = peers;
        this.consistency = consistency;
        this.registry = registry;
        this.sync = sync;
        this.store = store;
        this.embedder = embedder;
        this.ollama = ollama;
        this.cloudTier = cloudTier;
        this.cloud = cloud;
        this.sink = sink;
    }

    @GET
    @Path("status")
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        InputStream html = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("META-INF/resources/status.html");
        return html == null ? Response.status(404).build() : Response.ok(html).build();
    }

    @GET
    @Path("api/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        SyncStatus.Snapshot s = sync.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.now().toString());
        out.put("node", s.nodeId());
        out.put("mode", s.enabled() ? "hybrid" : "standalone");
        out.put("store", store());
        out.put("ingest", Map.of("chunks", (long) counter("edgerag.ingest.chunks")));
        out.put("retrieval", retrieval());
        out.put("generation", generation());
        out.put("sync", s);
        out.put("cloudSink", cloudSink());
        // writes by level and whether met (pending = timed out), reads by token outcome; peers an `all` write waits for
        out.put("consistency", Map.of("knownPeers", peers.knownPeers(), "counts", consistency.counts(),
                "priorityLag", priorityLag()));
        out.put("connectors", connectors.statuses());
        return out;
    }

    /** The priority lane's own sync lag (the bulk lane's is {@code sync.lag}). */
    private Map<String, Object> priorityLag() {
        Timer t = registry.find("edgerag.sync.priority.lag").timer();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", t == null ? 0 : t.count());
        var p = t == null || t.count() == 0 ? null : t.takeSnapshot().percentileValues();
        m.put("p50Millis", p == null || p.length < 2 ? null : p[0].value(TimeUnit.MILLISECONDS));
        m.put("p99Millis", p == null || p.length < 2 ? null : p[1].value(TimeUnit.MILLISECONDS));
        return m;
    }

    private Map<String, Object> store() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chunks", store.chunkCount());
        m.put("keywordChunks", store.keywordChunkCount());
        m.put("positions", store.positionCount());
        m.put("indexType", store.indexFactoryString());
        m.put("dimension", store.dimension());
        m.put("embeddingModel", store.activeEmbeddingModel() == null ? embedder.modelId() : store.activeEmbeddingModel());
        m.put("embeddingMigration", store.migrationState().phase().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    private Map<String, Object> retrieval() {
        Map<String, Object> m = new LinkedHashMap<>();
        double hits = counter("edgerag.retrieval.local", "result", "hit");
        double misses = counter("edgerag.retrieval.local", "result", "miss");
        Timer local = registry.find("edgerag.retrieval.latency").tag("tier", LocalRetrievalTier.NAME).timer();
        m.put("requests", local == null ? 0 : local.count());
        m.put("localHits", (long) hits);
        m.put("localHitRatio", hits + misses == 0 ? null : hits / (hits + misses));
        m.put("localMeanMillis", local == null || local.count() == 0 ? null : local.mean(TimeUnit.MILLISECONDS));
        long fallbacks = 0;
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (CloudStatus status : CloudStatus.values()) {
            long n = (long) counter("edgerag.retrieval.cloud.outcomes", "status", status.wire());
            outcomes.put(status.wire(), n);
            if (FALLBACKS.contains(status)) {
                fallbacks += n;
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("enabled", cloud.enabled());
        c.put("store", cloud.enabled() ? cloud.name() : null);
        c.put("circuit", cloudTier.circuit().name());
        Double open = gauge("edgerag.retrieval.cloud.circuit.open");
        c.put("circuitOpen", open != null && open > 0);
        c.put("fallbacks", fallbacks);
        c.put("outcomes", outcomes);
        m.put("cloud", c);
        return m;
    }

    private Map<String, Object> generation() {
        Map<String, Object> m = new LinkedHashMap<>();
        OllamaGate.State state = ollama.state();
        m.put("ollama", state == OllamaGate.State.CLOSED ? "up" : "degraded");
        m.put("circuit", state.name());
        m.put("lastError", ollama.lastError());
        Timer ttft = registry.find("edgerag.generation.time.to.first.token").timer();
        m.put("answers", ttft == null ? 0 : ttft.count());
        m.put("ttftP50Millis", percentileMillis(ttft, 0.5));
        DistributionSummary rate = registry.find("edgerag.generation.tokens.per.second").summary();
        m.put("tokensPerSecond", rate == null || rate.count() == 0 ? null : rate.mean());
        return m;
    }

    private Map<String, Object> cloudSink() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", sink.enabled());
        Map<String, Long> events = new LinkedHashMap<>();
        for (SinkOutcome outcome : SinkOutcome.values()) {
            events.put(outcome.tag(), (long) counter("edgerag.cloud.sink.events", "outcome", outcome.tag()));
        }
        m.put("events", events);
        m.put("errors", (long) counter("edgerag.cloud.sink.errors"));
        Timer lag = registry.find("edgerag.cloud.sink.lag").timer();
        m.put("lagP50Millis", percentileMillis(lag, 0.5));
        m.put("lagP99Millis", percentileMillis(lag, 0.99));
        m.put("reconcileRuns", (long) counter("edgerag.cloud.reconcile.runs"));
        m.put("reconcilePublished", (long) counter("edgerag.cloud.reconcile.published"));
        m.put("reconcileFailures", (long) counter("edgerag.cloud.reconcile.failures"));
        return m;
    }

    private double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Double gauge(String name) {
        Gauge g = registry.find(name).gauge();
        return g == null ? null : g.value();
    }

    /** A published percentile in ms, or null before the first sample. */
    private static Double percentileMillis(Timer timer, double percentile) {
        if (timer == null || timer.count() == 0) {
            return null;
        }
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - percentile) < 1e-9) {
                double ms = v.value(TimeUnit.MILLISECONDS);
                return Double.isNaN(ms) ? null : ms;
            }
        }
        return null;
    }
}
