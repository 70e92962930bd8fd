package io.edgerag.sync.cloud;

import io.edgerag.audit.AuditActions;
import io.edgerag.audit.AuditEvent;
import io.edgerag.audit.AuditTrail;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.cloud.InvalidCloudRequestException;
import io.edgerag.store.local.ConflictRule;
import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent;
import io.edgerag.sync.ChangeEvent.EventChunk;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.DeadLetters;
import io.edgerag.sync.PoisonEventException;
import io.edgerag.sync.SyncConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Applies {@code edgerag.changes} to the cloud store, in the fleet-wide consumer group
 * {@code edgerag-cloud-sink} (channel {@code cloud-sink-in}, on when {@code edgerag.cloud.sink.enabled}).
 *
 * <p>Idempotent by version, under the same {@link ConflictRule} as every edge. For each document the
 * cloud keeps a {@link CloudHead} in the versions namespace: the version the log last carried for it,
 * and whether that was a delete. An event that does not beat the head changes nothing (counted
 * {@code duplicate} or {@code stale}). A winning UPSERT writes its chunks (id = chunkId, in the
 * collection's namespace, with {@code version_hlc}/{@code version_node} metadata), then deletes the
 * chunks of the old version it does not have (also in the old collection when the document moved),
 * then writes the head. A winning DELETE removes the chunks and leaves the head as a tombstone, so an
 * older upsert arriving later (a replay, a slow partition, a reconciler) cannot bring the document
 * back. The head is written last: a failure half-way leaves the old head, so the redelivered event
 * wins again and finishes the job.
 *
 * <p>At-least-once: the batch is acknowledged (and its offsets become committable) only after the cloud
 * acknowledged every write. A cloud failure is retried with exponential backoff (on top of the adapter's
 * own per-call retries) for as long as it lasts, holding the partition: nothing is skipped, and the sink
 * catches up when the cloud is back. Unreadable events, and events the cloud refuses as invalid
 * (a dimension the index does not have), go to the dead-letter topic like the edge consumer's.
 */
@ApplicationScoped
public class CloudSink {

    private static final Logger LOG = Logger.getLogger(CloudSink.class);
    /** Chunk metadata naming the model the vector was made with (the reconciler reads it back). */
    public static final String EMBEDDING_MODEL = "embedding_model";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final int LETTER_ATTEMPTS = 5;

    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final CloudLedger ledger;
    private final CloudSinkConfig config;
    private final SyncConfig sync;
    private final DeadLetters deadLetters;
    private final CloudSinkMetrics metrics;
    private final AuditTrail audit;
    private volatile boolean running = true;

    public CloudSink(CloudLedger ledger, CloudSinkConfig config, SyncConfig sync, DeadLetters deadLetters,
                     CloudSinkMetrics metrics, AuditTrail audit) {
        this.audit = audit;
        this.ledger = ledger;
        this.config = config;
        this.sync = sync;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event, CloudVectorStore cloud) {
        if (!config.enabled()) {
            return;
        }
        if (!sync.enabled()) {
            throw new IllegalStateException("edgerag.cloud.sink.enabled=true needs hybrid mode: set edgerag.sync.enabled=true "
                    + "(and kafka.bootstrap.servers)");
        }
        if (!cloud.enabled()) {
            throw new IllegalStateException("edgerag.cloud.sink.enabled=true needs a cloud store: set edgerag.cloud.store "
                    + "(e.g. pinecone) and its settings");
        }
        LOG.infof("cloud sink on: applying the change log to %s in consumer group edgerag-cloud-sink "
                + "(versions in namespace %s)", cloud.name(), config.versionsNamespace());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    /** One decoded event and the record it came in. */
    record Pending(ChangeEvent event, Version version, KafkaRecord<String, String> record) {
        boolean delete() {
            return ChangeEvent.DELETE.equals(event.type());
        }

        DocState state() {
            return new DocState(version, delete(), event.contentHash());
        }
    }

    @Incoming("cloud-sink-in")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) throws Exception {
        List<Pending> events = new ArrayList<>();
        List<Uni<Void>> letters = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                ChangeEvent event = codec.decode(record.getPayload());
                events.add(new Pending(event, ChangeEventCodec.version(event), record));
            } catch (PoisonEventException e) {
                LOG.warnf("cloud sink dead-letters %s-%d@%d (key %s): %s", record.getTopic(), record.getPartition(),
                        DeadLetters.offsetOf(record), record.getKey(), e.getMessage());
                letters.add(deadLetters.publish(record, e.getMessage()));
                metrics.outcome(SinkOutcome.DEAD_LETTERED);
            }
        }
        awaitLetters(letters);
        audit.recordAndWait(audited(events, applyUntilDone(events)));
        return batch.ack();
    }

    /** The changes this sink made in the cloud, for the audit trail (before the offsets move past them). */
    private static List<AuditEvent> audited(List<Pending> events, List<SinkOutcome> outcomes) {
        List<AuditEvent> audited = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (outcomes.get(i) == SinkOutcome.APPLIED) {
                ChangeEvent e = events.get(i).event();
                String origin = e.origin() != null ? e.origin() : events.get(i).version().nodeId();
                audited.add(new AuditEvent("node:" + origin, events.get(i).delete() ? AuditActions.CLOUD_DELETE
                        : AuditActions.CLOUD_UPSERT, e.docId(), Long.toString(events.get(i).version().hlc()),
                        events.get(i).delete() ? null : e.collection(), null));
            }
        }
        return audited;
    }

    /**
     * Applies the events (already decoded) until the cloud has acknowledged all of them; returns the
     * outcome per event, in order. Retries for as long as the cloud fails; gives up only at shutdown.
     */
    List<SinkOutcome> applyUntilDone(List<Pending> events) throws InterruptedException {
        Map<String, List<Pending>> byDoc = new LinkedHashMap<>();
        for (Pending p : events) {
            byDoc.computeIfAbsent(p.event().docId(), k -> new ArrayList<>()).add(p);
        }
        Map<String, Pending> winners = new HashMap<>();
        byDoc.forEach((docId, list) -> winners.put(docId, winner(list)));
        Map<String, SinkOutcome> done = new HashMap<>();
        Duration backoff = FIRST_BACKOFF;
        Throwable firstFailure = null;
        while (done.size() < byDoc.size()) {
            try {
                applyOnce(winners, done);
            } catch (RuntimeException e) {
                metrics.error();
                if (!running) {
                    throw new IllegalStateException("shutting down with " + (byDoc.size() - done.size())
                            + " documents not yet in the cloud; they are redelivered after the restart", e);
                }
                if (firstFailure == null) {
                    firstFailure = e;
                    LOG.warnf("cloud sink cannot apply %d documents (%s); retrying, the offsets stay uncommitted",
                            byDoc.size() - done.size(), e.getMessage());
                } else {
                    LOG.debugf("cloud sink retry failed: %s", e.getMessage());
                }
                Thread.sleep(backoff.toMillis() + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
            }
        }
        if (firstFailure != null) {
            LOG.infof("cloud sink caught up: %d documents applied after the cloud came back", byDoc.size());
        }
        List<SinkOutcome> outcomes = new ArrayList<>(events.size());
        for (Pending p : events) {
            Pending winner = winners.get(p.event().docId());
            SinkOutcome o;
            if (p == winner) {
                o = done.get(p.event().docId());
            } else {
                // lost inside the batch to the winner: the same version twice is a duplicate
                o = p.version().equals(winner.version()) ? SinkOutcome.DUPLICATE : SinkOutcome.STALE;
            }
            outcomes.add(o);
            if (o == SinkOutcome.APPLIED) {
                metrics.applied(p.version().physicalMillis());
            } else {
                metrics.outcome(o);
            }
        }
        return outcomes;
    }

    /**
     * Applies one change now, on the caller's thread, exactly as a log record would be applied (same
     * head check, same writes, under the same ledger lock): what a {@code cloud}-level write uses to be in
     * the cloud before it is acknowledged. One attempt: a cloud failure or refusal is thrown to the caller,
     * and the same change reaches the sink through the log anyway, where it then counts as a duplicate.
     */
    public SinkOutcome applyDirect(ChangeEvent event) throws PoisonEventException {
        Pending p = new Pending(event, ChangeEventCodec.version(event), null);
        Map<String, SinkOutcome> done = new HashMap<>();
        applyOnce(Map.of(event.docId(), p), done);
        return done.get(event.docId());
    }

    /** The one change of a document that survives the batch, by the conflict rule (the rest lose to it). */
    static Pending winner(List<Pending> sameDoc) {
        Pending best = sameDoc.get(0);
        for (Pending p : sameDoc.subList(1, sameDoc.size())) {
            if (ConflictRule.wins(p.state(), best.state())) {
                best = p;
            }
        }
        return best;
    }

    private void applyOnce(Map<String, Pending> winners, Map<String, SinkOutcome> done) {
        ledger.lock().lock();
        try {
            Set<String> remaining = new LinkedHashSet<>(winners.keySet());
            remaining.removeAll(done.keySet());
            Map<String, CloudHead> heads = ledger.heads(remaining);
            for (String docId : remaining) {
                Pending p = winners.get(docId);
                CloudHead head = heads.get(docId);
                switch (CloudVersions.decide(p.state(), head)) {
                    case DUPLICATE -> done.put(docId, SinkOutcome.DUPLICATE);
                    case STALE -> done.put(docId, SinkOutcome.STALE);
                    case APPLY -> {
                        try {
                            write(p, head);
                            done.put(docId, SinkOutcome.APPLIED);
                        } catch (InvalidCloudRequestException e) {
                            if (p.record() == null) {
                                throw e; // a direct write: the caller reports it
                            }
                            LOG.warnf("cloud store refused change %s of %s as invalid; dead-lettering it: %s",
                                    p.version(), docId, e.getMessage());
                            awaitLetters(List.of(deadLetters.publish(p.record(), "cloud store refused it: " + e.getMessage())));
                            done.put(docId, SinkOutcome.DEAD_LETTERED);
                        }
                    }
                }
            }
        } finally {
            ledger.lock().unlock();
        }
    }

    private void write(Pending p, CloudHead head) {
        ChangeEvent e = p.event();
        String docId = e.docId();
        if (p.delete()) {
            Set<String> collections = new HashSet<>();
            collections.add(blankToNull(e.collection()));
            if (head != null && !head.deleted()) {
                collections.add(head.collection());
            }
            for (String collection : collections) {
                ledger.delete(collection, ledger.chunkIds(collection, docId));
            }
            ledger.write(new CloudHead(docId, p.version(), true, null, null), 0);
            return;
        }
        String collection = blankToNull(e.collection());
        List<CloudRecord> records = records(e, p.version());
        ledger.cloud().upsert(collection, records).await().atMost(CloudLedger.AWAIT);
        Set<String> fresh = new HashSet<>();
        records.forEach(r -> fresh.add(r.id()));
        List<String> old = new ArrayList<>(ledger.chunkIds(collection, docId));
        old.removeAll(fresh);
        ledger.delete(collection, old);
        if (head != null && !head.deleted() && !Objects.equals(head.collection(), collection)) {
            ledger.delete(head.collection(), ledger.chunkIds(head.collection(), docId));
        }
        ledger.write(new CloudHead(docId, p.version(), false, collection, e.contentHash()), records.get(0).vector().length);
    }

    /** The event's chunks as cloud records: the document's metadata, then the contract's keys over it. */
    static List<CloudRecord> records(ChangeEvent e, Version version) {
        List<CloudRecord> records = new ArrayList<>(e.chunks().size());
        for (EventChunk c : e.chunks()) {
            float[] vector;
            try {
                vector = ChangeEventCodec.decodeVector(c.vector(), c.chunkId());
            } catch (PoisonEventException ex) {
                throw new InvalidCloudRequestException(ex.getMessage());
            }
            String textHash = c.textHash() != null ? c.textHash() : ChangeEventCodec.sha256(c.text());
            CloudRecord base = CloudRecord.chunk(c.chunkId(), e.docId(), vector, c.text(), textHash, e.title(), e.source(),
                    version.hlc(), version.nodeId());
            Map<String, String> md = new LinkedHashMap<>();
            if (e.metadata() != null) {
                e.metadata().forEach((k, v) -> {
                    if (k != null && !k.isEmpty() && !k.startsWith("$") && v != null) {
                        md.put(k, v);
                    }
                });
            }
            md.putAll(base.metadata());
            if (e.embeddingModel() != null) {
                md.put(EMBEDDING_MODEL, e.embeddingModel());
            }
            records.add(new CloudRecord(c.chunkId(), vector, md));
        }
        return records;
    }

    private void awaitLetters(List<Uni<Void>> letters) {
        if (!letters.isEmpty()) {
            Uni.join().all(letters).andFailFast().onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .atMost(LETTER_ATTEMPTS).await().atMost(Duration.ofMinutes(2));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
