package io.edgerag.sync;

import io.edgerag.audit.AuditActions;
import io.edgerag.audit.AuditEvent;
import io.edgerag.audit.AuditTrail;
import io.edgerag.consistency.PeerAcks;
import io.edgerag.embedding.Embedder;
import io.edgerag.ingest.IngestService;
import io.edgerag.embedding.EmbeddingModels;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.EmbeddingModelChangedException;
import io.edgerag.store.local.StoreRecords;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.Delete;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.MutationResult;
import io.edgerag.store.local.StoreRecords.Upsert;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent.EventChunk;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies decoded change events of other nodes to the local store, in one durable transaction per
 * batch, through the store's conflict rule: a change is applied only when its version wins, so a
 * redelivery or a late, older change leaves nothing behind. Returns when the batch is on disk, which
 * is when the consumer may commit its offsets.
 */
@Singleton
public class ChangeApplier {

    private static final Logger LOG = Logger.getLogger(ChangeApplier.class);

    private final DurableVectorStore store;
    private final EmbeddingModels models;
    private final SyncMetrics metrics;
    private final SyncConfig config;
    private final PeerAcks acks;
    private final AuditTrail audit;

    public ChangeApplier(DurableVectorStore store, EmbeddingModels models, SyncMetrics metrics, SyncConfig config, PeerAcks acks,
                         AuditTrail audit) {
        this.acks = acks;
        this.audit = audit;
        this.store = store;
        this.models = models;
        this.metrics = metrics;
        this.config = config;
    }

    /** Checks what the codec cannot know: that vectors made with this node's model have its dimension. */
    public void checkFits(ChangeEventCodec.Decoded decoded) throws PoisonEventException {
        ChangeEvent event = decoded.event();
        if (!ChangeEvent.UPSERT.equals(event.type()) || !models.servingId().equals(event.embeddingModel())) {
            return;
        }
        for (int i = 0; i < event.chunks().size(); i++) {
            int dim = decoded.vectors().get(i).length;
            if (dim != store.dimension()) {
                throw new PoisonEventException("chunk " + event.chunks().get(i).chunkId() + " has dimension " + dim
                        + ", but " + event.embeddingModel() + " vectors here have " + store.dimension());
            }
        }
    }

    /** Applies {@code events} (already validated) and reports the outcome of each, in order. */
    public List<ApplyOutcome> apply(List<ChangeEventCodec.Decoded> events) {
        try {
            return applyWith(models.servingId(), events);
        } catch (EmbeddingModelChangedException e) {
            // an embedding cut-over or rollback came between embedding and writing; nothing was written
            return applyWith(models.servingId(), events);
        }
    }

    private List<ApplyOutcome> applyWith(String serving, List<ChangeEventCodec.Decoded> events) {
        List<Mutation> mutations = new ArrayList<>(events.size());
        List<Integer> mutationOf = new ArrayList<>(events.size());
        List<ApplyOutcome> outcomes = new ArrayList<>(events.size());
        List<Version> versions = new ArrayList<>(events.size());
        for (ChangeEventCodec.Decoded decoded : events) {
            ChangeEvent e = decoded.event();
            Version version = decoded.version();
            versions.add(version);
            warnOnSkew(e, version);
            if (ChangeEvent.DELETE.equals(e.type())) {
                mutationOf.add(mutations.size());
                mutations.add(new Delete(e.docId(), null, version));
                outcomes.add(ApplyOutcome.APPLIED);
                continue;
            }
            boolean foreignModel = !serving.equals(e.embeddingModel());
            if (foreignModel && e.chunks().stream().anyMatch(c -> c.text() == null)) {
                LOG.warnf("change %s of %s was embedded with %s and carries no text: it cannot be indexed here (%s)",
                        version, e.docId(), e.embeddingModel(), serving);
                mutationOf.add(-1);
                outcomes.add(ApplyOutcome.GAP);
                continue;
            }
            mutationOf.add(mutations.size());
            mutations.add(new Upsert(document(decoded, foreignModel ? serving : null), version));
            outcomes.add(foreignModel ? ApplyOutcome.REEMBEDDED : ApplyOutcome.APPLIED);
        }
        List<MutationResult> results = store.apply(mutations);
        for (int i = 0; i < events.size(); i++) {
            int m = mutationOf.get(i);
            if (m >= 0 && !results.get(m).applied()) {
                outcomes.set(i, versions.get(i).equals(results.get(m).kept()) ? ApplyOutcome.DUPLICATE : ApplyOutcome.STALE);
            }
            metrics.applied(outcomes.get(i), versions.get(i).physicalMillis());
        }
        audit.recordAndWait(audited(events, outcomes));
        acknowledge(events, outcomes, versions);
        return outcomes;
    }

    /**
     * The changes that took effect here, in the audit trail's words; written before the batch is acknowledged,
     * so a crash in between redelivers the batch (its applies then count as duplicates and are not audited twice).
     */
    private static List<AuditEvent> audited(List<ChangeEventCodec.Decoded> events, List<ApplyOutcome> outcomes) {
        List<AuditEvent> audited = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (outcomes.get(i) == ApplyOutcome.APPLIED || outcomes.get(i) == ApplyOutcome.REEMBEDDED) {
                ChangeEvent e = events.get(i).event();
                boolean delete = ChangeEvent.DELETE.equals(e.type());
                String origin = e.origin() != null ? e.origin() : events.get(i).version().nodeId();
                audited.add(new AuditEvent("node:" + origin, delete ? AuditActions.SYNC_DELETE : AuditActions.SYNC_UPSERT,
                        e.docId(), Long.toString(events.get(i).version().hlc()), delete ? null : e.collection(), null));
            }
        }
        return audited;
    }

    /** Durable here at that version or a later one: what an {@code all}-level writer waits for (a gap is not). */
    private void acknowledge(List<ChangeEventCodec.Decoded> events, List<ApplyOutcome> outcomes, List<Version> versions) {
        List<PeerAcks.Applied> applied = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            if (outcomes.get(i) != ApplyOutcome.GAP) {
                applied.add(new PeerAcks.Applied(events.get(i).event().docId(), Long.toString(versions.get(i).hlc()),
                        versions.get(i).nodeId()));
            }
        }
        acks.appliedHere(applied);
    }

    /**
     * The change as a store write; {@code reembedWith} (null: keep the event's vectors) re-embeds it from text.
     * When the event's model is the other model of a migration here, its vectors are kept as the shadow ones.
     */
    private DocumentRecord document(ChangeEventCodec.Decoded decoded, String reembedWith) {
        ChangeEvent e = decoded.event();
        boolean reembed = reembedWith != null;
        List<float[]> vectors = reembed
                ? models.forModel(reembedWith).embedPassages(e.chunks().stream().map(c -> IngestService.withTitle(e.title(), c.text())).toList())
                : decoded.vectors();
        StoreRecords.ShadowVectors shadow = reembed && e.embeddingModel() != null
                && e.embeddingModel().equals(store.shadowEmbeddingModel())
                ? new StoreRecords.ShadowVectors(e.embeddingModel(), decoded.vectors()) : null;
        List<ChunkRecord> chunks = new ArrayList<>(e.chunks().size());
        for (int i = 0; i < e.chunks().size(); i++) {
            EventChunk c = e.chunks().get(i);
            chunks.add(new ChunkRecord(c.chunkId(), c.text(), null, vectors.get(i)));
        }
        String model = reembed ? reembedWith : e.embeddingModel();
        int schema = reembed ? Embedder.SCHEMA_VERSION : (e.embeddingSchemaVersion() == null ? 0 : e.embeddingSchemaVersion());
        return new DocumentRecord(e.docId(), e.title(), e.source(), e.collection(), e.metadata(), e.contentHash(),
                model, schema, chunks, shadow);
    }

    private void warnOnSkew(ChangeEvent e, Version version) {
        long ahead = version.physicalMillis() - System.currentTimeMillis();
        if (ahead > config.maxClockSkew().toMillis()) {
            metrics.clockSkewed();
            LOG.warnf("change of %s from %s was made %d ms ahead of this node's clock (max skew %s): check NTP on both",
                    e.docId(), version.nodeId(), ahead, config.maxClockSkew());
        }
    }
}
