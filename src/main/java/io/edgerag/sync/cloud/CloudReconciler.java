package io.edgerag.sync.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.embedding.Embedder;
import io.edgerag.embedding.EmbeddingModels;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.IdPage;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent;
import io.edgerag.sync.ChangeEvent.EventChunk;
import io.edgerag.sync.ChangeEvent.EventVersion;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.HybridLogicalClock;
import io.edgerag.sync.KafkaOutlet;
import io.edgerag.sync.NodeIdentity;
import io.edgerag.sync.PoisonEventException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Cloud → edge: finds documents written to the cloud store directly (not through the change log) and
 * publishes them to {@code edgerag.changes} as UPSERT events, so every edge (and the sink) receives them.
 * Runs where the cloud sink runs, every {@code edgerag.cloud.reconcile.interval} and on demand
 * ({@code POST /api/admin/cloud/reconcile}).
 *
 * <p>What it compares: the chunks in each scanned namespace (grouped by their {@code docId} metadata,
 * or the id before its first {@code #}) against the sink's {@link CloudHead}s, which record the version
 * the log last carried for every document. A document is published when the log never carried it, when
 * its chunks carry a newer version than the log's, or when its chunks carry no version or disagree on
 * it (see {@link CloudVersions#classify}). The event carries the chunks' common version when they share
 * one, else a fresh HLC version with node id {@code edgerag.cloud.reconcile.node-id} ({@code cloud}),
 * made after every version seen for the document, so it wins. Vectors, text, title and source come
 * from the records; the embedding model from their {@code embedding_model} metadata or configuration.
 * Once the sink has applied the event the chunks carry the head's version and the next run skips them.
 *
 * <p>Candidates found by the scan are read again, under the lock the sink holds while it writes, before
 * anything is published: a document the sink of this process is half-way through writing (new chunks
 * in, old ones not yet deleted) is never mistaken for a direct write.
 *
 * <p>Limits, on purpose: deletions made in the cloud directly are not propagated (a missing chunk could
 * as well be one the sink has not written yet); chunks older than the log's version are left to the
 * sink and only counted ({@code behind}); only the default namespace and the collections listed in
 * {@code edgerag.cloud.reconcile.collections} are scanned (the port cannot list namespaces); a text the
 * adapter had to truncate travels truncated; with several sink instances, another instance's
 * half-written document can be published as a direct write (harmless for the log, which then carries
 * a version the sink applies over it, but not prevented); a scan reads every id and version of a
 * namespace (ids and versions are kept in memory, vectors only for the documents it publishes).
 */
@ApplicationScoped
public class CloudReconciler {

    private static final Logger LOG = Logger.getLogger(CloudReconciler.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> RESERVED = Set.of(CloudRecord.DOC_ID, CloudRecord.VERSION_HLC,
            CloudRecord.VERSION_NODE, CloudRecord.TEXT, CloudRecord.TEXT_HASH, CloudRecord.TEXT_TRUNCATED,
            CloudRecord.TITLE, CloudRecord.SOURCE, CloudSink.EMBEDDING_MODEL);

    /**
     * One run: {@code scanned} documents, of which {@code published} went to the log and {@code skipped}
     * did not; {@code behind} (the log is ahead: the sink's business) and {@code invalid} (records that
     * do not make a valid change event, e.g. a zero vector) are part of {@code skipped}.
     */
    public record Summary(int scanned, int published, int skipped, int behind, int invalid, List<String> collections,
                          long tookMs) {
    }

    private final KafkaOutlet outlet = new KafkaOutlet();
    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final HybridLogicalClock clock = new HybridLogicalClock();
    private final ReentrantLock runLock = new ReentrantLock();
    private final CloudLedger ledger;
    private final CloudSinkConfig sinkConfig;
    private final CloudReconcileConfig config;
    private final EmbeddingModels models;
    private final NodeIdentity node;
    private final CloudSinkMetrics metrics;
    private volatile ScheduledExecutorService schedule;
    /** Scheduled runs only: a run asked for through /api/admin is recorded as that admin call. */
    private final io.edgerag.audit.AuditTrail audit;

    public CloudReconciler(CloudLedger ledger, CloudSinkConfig sinkConfig, CloudReconcileConfig config, EmbeddingModels models,
                           NodeIdentity node, CloudSinkMetrics metrics, io.edgerag.audit.AuditTrail audit) {
        this.audit = audit;
        this.ledger = ledger;
        this.sinkConfig = sinkConfig;
        this.config = config;
        this.models = models;
        this.node = node;
        this.metrics = metrics;
    }

    @Outgoing("cloud-reconcile-out")
    Multi<Message<String>> events() {
        return outlet.stream();
    }

    void start(@Observes StartupEvent event) {
        if (!sinkConfig.enabled() || config.interval().isZero() || config.interval().isNegative()) {
            return;
        }
        long every = config.interval().toMillis();
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgerag-cloud-reconciler");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::scheduledRun, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("cloud reconciler runs every %s", config.interval());
    }

    void stop(@Observes ShutdownEvent event) {
        ScheduledExecutorService s = schedule;
        if (s != null) {
            s.shutdownNow();
        }
    }

    public boolean enabled() {
        return sinkConfig.enabled();
    }

    private void scheduledRun() {
        try {
            Summary s = reconcile();
            audit.recordLater(io.edgerag.audit.AuditEvent.of("system:cloud-reconciler", io.edgerag.audit.AuditActions.RECONCILE)
                    .withDetail("scanned " + s.scanned() + ", published " + s.published()));
            if (s.published() > 0) {
                LOG.infof("cloud reconciler published %d documents written in the cloud directly (%s)", s.published(), s);
            }
        } catch (RuntimeException e) {
            LOG.warnf("cloud reconciler run failed (next run in %s): %s", config.interval(), e.getMessage());
        }
    }

    /** One full run; blocking (minutes for large namespaces). Runs one at a time. */
    public Summary reconcile() {
        if (!sinkConfig.enabled()) {
            throw new IllegalStateException("the cloud reconciler runs where the cloud sink runs: set edgerag.cloud.sink.enabled=true");
        }
        runLock.lock();
        long start = System.nanoTime();
        try {
            int scanned = 0;
            int published = 0;
            int inSync = 0;
            int behind = 0;
            int invalid = 0;
            List<String> scannedCollections = new ArrayList<>();
            for (String collection : collections()) {
                scannedCollections.add(collection == null ? "" : collection);
                Map<String, Map<String, Version>> docs = scan(collection);
                scanned += docs.size();
                Map<String, CloudHead> heads = ledger.heads(docs.keySet());
                for (Map.Entry<String, Map<String, Version>> doc : docs.entrySet()) {
                    switch (CloudVersions.classify(doc.getValue().values(), heads.get(doc.getKey()))) {
                        case IN_SYNC -> inSync++;
                        case BEHIND -> behind++;
                        case DIRECT_WRITE -> {
                            CloudVersions.ReconcileState confirmed = confirmAndPublish(collection, doc.getKey(),
                                    doc.getValue().keySet());
                            if (confirmed == null) {
                                invalid++;
                            } else if (confirmed == CloudVersions.ReconcileState.DIRECT_WRITE) {
                                published++;
                            } else if (confirmed == CloudVersions.ReconcileState.BEHIND) {
                                behind++;
                            } else {
                                inSync++;
                            }
                        }
                    }
                }
            }
            metrics.reconciled(published);
            return new Summary(scanned, published, inSync + behind + invalid, behind, invalid, scannedCollections,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            metrics.reconcileFailed();
            throw e;
        } finally {
            runLock.unlock();
        }
    }

    private List<String> collections() {
        Set<String> out = new LinkedHashSet<>();
        out.add(null);
        config.collections().orElse(List.of()).stream().map(String::trim)
                .filter(c -> !c.isEmpty() && !c.equals(sinkConfig.versionsNamespace()))
                .forEach(out::add);
        return new ArrayList<>(out);
    }

    /** docId → (record id → version, null when it has none) of every record in the namespace. */
    private Map<String, Map<String, Version>> scan(String collection) {
        Map<String, Map<String, Version>> docs = new TreeMap<>();
        String token = null;
        do {
            IdPage page = ledger.cloud().listIds(collection, null, token, config.pageSize()).await().atMost(CloudLedger.AWAIT);
            for (CloudRecord r : ledger.fetch(collection, page.ids())) {
                docs.computeIfAbsent(docIdOf(r), k -> new HashMap<>()).put(r.id(), CloudVersions.versionOf(r.metadata()));
            }
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        return docs;
    }

    static String docIdOf(CloudRecord r) {
        String docId = r.metadata().get(CloudRecord.DOC_ID);
        if (docId != null && !docId.isBlank()) {
            return docId;
        }
        int hash = r.id().indexOf('#');
        return hash > 0 ? r.id().substring(0, hash) : r.id();
    }

    /**
     * Reads the document again under the sink's lock and publishes it when it is still a direct write.
     * Returns what it found: DIRECT_WRITE when published, null when the records make no valid event.
     */
    private CloudVersions.ReconcileState confirmAndPublish(String collection, String docId, Set<String> scannedIds) {
        ChangeEvent event;
        ledger.lock().lock();
        try {
            Set<String> ids = new LinkedHashSet<>(scannedIds);
            ids.addAll(ledger.chunkIds(collection, docId));
            List<CloudRecord> records = ledger.fetch(collection, List.copyOf(ids)).stream()
                    .filter(r -> docId.equals(docIdOf(r))).toList();
            if (records.isEmpty()) {
                return CloudVersions.ReconcileState.BEHIND;
            }
            CloudHead head = ledger.heads(List.of(docId)).get(docId);
            List<Version> versions = records.stream().map(r -> CloudVersions.versionOf(r.metadata())).toList();
            CloudVersions.ReconcileState state = CloudVersions.classify(versions, head);
            if (state != CloudVersions.ReconcileState.DIRECT_WRITE) {
                return state;
            }
            event = event(collection, docId, records, versionFor(versions, head));
        } finally {
            ledger.lock().unlock();
        }
        String payload;
        try {
            payload = json.writeValueAsString(event);
            codec.decode(payload);
        } catch (JsonProcessingException | PoisonEventException e) {
            LOG.warnf("cloud records of %s in %s make no valid change event, not published: %s", docId,
                    collection == null ? "the default namespace" : collection, e.getMessage());
            return null;
        }
        outlet.send(KafkaRecord.of(docId, payload).withHeader("edgerag-origin", event.origin())
                        .withHeader("edgerag-reconciled-by", node.id()))
                .await().atMost(SEND_TIMEOUT);
        LOG.debugf("published %s of %s from the cloud", event.version(), docId);
        return CloudVersions.ReconcileState.DIRECT_WRITE;
    }

    /** The chunks' common version when they share one (it is newer than the log's), else a fresh one that wins. */
    private Version versionFor(List<Version> versions, CloudHead head) {
        Version common = CloudVersions.common(versions);
        if (common != null) {
            return common;
        }
        if (head != null) {
            clock.observe(head.version().hlc());
        }
        versions.stream().filter(v -> v != null).forEach(v -> clock.observe(v.hlc()));
        return new Version(clock.next(), config.nodeId());
    }

    private ChangeEvent event(String collection, String docId, List<CloudRecord> records, Version version) {
        List<CloudRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparingLong(CloudReconciler::ordinal).thenComparing(CloudRecord::id));
        Map<String, String> first = ordered.get(0).metadata();
        String model = first.get(CloudSink.EMBEDDING_MODEL);
        if (model == null || model.isBlank()) {
            model = config.embeddingModel().orElse(models.servingId());
        }
        Map<String, String> docMetadata = new LinkedHashMap<>();
        first.forEach((k, v) -> {
            if (!RESERVED.contains(k) && !k.isEmpty() && v != null) {
                docMetadata.put(k, v);
            }
        });
        List<EventChunk> chunks = new ArrayList<>(ordered.size());
        StringBuilder content = new StringBuilder();
        for (CloudRecord r : ordered) {
            String text = r.metadata().get(CloudRecord.TEXT);
            String hash = r.metadata().get(CloudRecord.TEXT_HASH);
            if (hash == null && text != null) {
                hash = ChangeEventCodec.sha256(text);
            }
            chunks.add(new EventChunk(r.id(), text, hash, ChangeEventCodec.encodeVector(r.vector())));
            content.append(hash).append('\n');
        }
        return new ChangeEvent(ChangeEvent.CURRENT_SCHEMA, ChangeEventCodec.eventId(docId, version), ChangeEvent.UPSERT,
                docId, new EventVersion(Long.toString(version.hlc()), version.nodeId()), config.nodeId(),
                System.currentTimeMillis(), first.get(CloudRecord.TITLE), first.get(CloudRecord.SOURCE), collection,
                docMetadata, ChangeEventCodec.sha256(content.toString()), model,
                model.equals(models.servingId()) ? Embedder.SCHEMA_VERSION : null, chunks);
    }

    /** The n of a {@code docId#n} chunk id, so chunks keep their order; ids without one go last. */
    static long ordinal(CloudRecord r) {
        int hash = r.id().lastIndexOf('#');
        if (hash < 0) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(r.id().substring(hash + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

}
