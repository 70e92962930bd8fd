package io.edgerag.embedding.migration;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.EmbeddingModels;
import io.edgerag.embedding.EmbeddingSpec;
import io.edgerag.ingest.IngestService;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.EmbeddingMigrationConflictException;
import io.edgerag.store.local.EmbeddingMigrationPhase;
import io.edgerag.store.local.EmbeddingMigrationState;
import io.edgerag.store.local.PendingPassage;
import io.edgerag.store.local.ShadowBacklog;
import io.edgerag.sync.HybridLogicalClock;
import io.edgerag.sync.NodeIdentity;
import io.edgerag.sync.SyncConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's side of a blue-green re-embedding migration. The store keeps the state (it survives a
 * restart, and the build resumes where it stopped); this service builds the target model's vectors from
 * the stored text on one low-priority thread, a small batch per step with a pause in between, cuts over
 * once nothing is missing ({@code edgerag.embedding.migration.auto-cut-over}), and runs the admin
 * operations. What other nodes report arrives through {@link #peerReported}.
 */
@ApplicationScoped
public class EmbeddingMigrations {

    private static final Logger LOG = Logger.getLogger(EmbeddingMigrations.class);
    private static final int SWAP_ATTEMPTS = 5;

    private final DurableVectorStore store;
    private final EmbeddingModels models;
    private final EdgeragConfig.Embedding.Migration config;
    private final String self;
    private final Map<String, NodeMigrationState> peers = new ConcurrentHashMap<>();
    private final BuildRate rate = new BuildRate();
    private volatile String lastError;
    private volatile Runnable changed = () -> { };
    private volatile java.util.function.Consumer<MigrationPlan> announcer = plan -> { };
    private final HybridLogicalClock planClock = new HybridLogicalClock();
    /** The latest plan seen (announced here or received); guarded by {@code this}. */
    private MigrationPlan lastPlan;
    /** Set after a swap: the documents this node wrote last go out again in the served model. */
    private volatile boolean republishDue;
    private final LogRepublisher republisher;
    private ScheduledExecutorService worker;

    public EmbeddingMigrations(DurableVectorStore store, EmbeddingModels models, EdgeragConfig config, NodeIdentity node,
                               SyncConfig sync) {
        this.store = store;
        this.models = models;
        this.config = config.embedding().migration();
        this.self = node.id();
        this.republisher = sync.enabled() ? new LogRepublisher(store, node.id()) : null;
    }

    void start(@Observes StartupEvent event) {
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgerag-embedding-migration");
            t.setDaemon(true);
            // no priority of its own: its embedding runs on the Embedder's passage threads at nice 19,
            // so the build never takes a core from a search
            return t;
        });
        long pause = Math.max(1, config.pause().toMillis());
        worker.scheduleWithFixedDelay(this::step, pause, pause, TimeUnit.MILLISECONDS);
        EmbeddingMigrationState state = store.migrationState();
        if (state.phase() != EmbeddingMigrationPhase.NONE) {
            LOG.infof("embedding migration %s resumes: %s serves, %d of %d chunks still to embed with %s",
                    state.phase(), state.activeModel(), state.missing(), state.liveChunks(), state.shadowModel());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    /** Called after every change of this node's embedding state (the announcer publishes it). */
    public void onChange(Runnable listener) {
        this.changed = listener;
    }

    public String nodeId() {
        return self;
    }

    /** Where the admin operations' plans go (the control topic, when sync is on). */
    public void onPlan(java.util.function.Consumer<MigrationPlan> announcer) {
        this.announcer = announcer;
    }

    private void announce(String action, String targetModel) {
        MigrationPlan plan;
        synchronized (this) {
            plan = new MigrationPlan(action, targetModel, planClock.next(), self);
            lastPlan = plan;
        }
        announcer.accept(plan);
    }

    /**
     * A plan from the control topic (this node's own too, replayed after a restart): applied when it is newer
     * than the last one seen, and only as far as this node is not there yet, so replaying one changes nothing.
     */
    public void planReceived(MigrationPlan plan) {
        if (plan == null || plan.action() == null || plan.targetModel() == null || plan.node() == null) {
            return;
        }
        synchronized (this) {
            planClock.observe(plan.hlc());
            if (!plan.isAfter(lastPlan)) {
                return;
            }
            lastPlan = plan;
        }
        EmbeddingMigrationState s = store.migrationState();
        try {
            switch (plan.action()) {
                case MigrationPlan.START -> {
                    if (s.phase() == EmbeddingMigrationPhase.NONE && !plan.targetModel().equals(s.activeModel())) {
                        beginLocally(plan.targetModel());
                    }
                }
                case MigrationPlan.ROLLBACK -> {
                    if (s.phase() != EmbeddingMigrationPhase.NONE && plan.targetModel().equals(targetOf(s))) {
                        rollBackLocally(s);
                    }
                }
                case MigrationPlan.FINALIZE -> finalizeIfCutOver(plan);
                default -> LOG.warnf("unknown embedding plan action %s from %s ignored", plan.action(), plan.node());
            }
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.warnf("embedding plan %s %s from %s not applied here: %s", plan.action(), plan.targetModel(), plan.node(), e.getMessage());
        }
    }

    /** A FINALIZE that arrived before this node caught up takes effect at its cut-over. */
    private void finalizeIfCutOver(MigrationPlan plan) {
        EmbeddingMigrationState s = store.migrationState();
        if (s.phase() == EmbeddingMigrationPhase.CUT_OVER && plan.targetModel().equals(s.activeModel())) {
            store.finalizeMigration();
            changed.run();
        }
    }

    private synchronized MigrationPlan lastPlan() {
        return lastPlan;
    }

    /** Starts building {@code targetModel}'s vectors; the current model serves until the cut-over. */
    public MigrationView start(String targetModel) {
        EmbeddingSpec spec = models.specOf(targetModel);
        if (spec.dimension() != store.dimension()) {
            throw new InvalidRequestException(spec.id() + " makes " + spec.dimension() + "-dimensional vectors; this store holds "
                    + store.dimension() + ": a migration keeps the dimension (a new data dir takes another one)");
        }
        if (spec.id().equals(models.servingId()) && store.shadowEmbeddingModel() == null) {
            throw new InvalidRequestException(spec.id() + " is already the model this node serves");
        }
        beginLocally(spec.id());
        announce(MigrationPlan.START, spec.id());
        return view();
    }

    private void beginLocally(String targetModel) {
        store.startMigration(targetModel);
        rate.reset();
        lastError = null;
        changed.run();
    }

    /** Cuts over now rather than waiting for the build's own check: refused (409) while chunks lack a target vector. */
    public MigrationView cutOver() {
        EmbeddingMigrationState s = store.migrationState();
        if (s.phase() != EmbeddingMigrationPhase.BUILDING) {
            throw new EmbeddingMigrationConflictException("nothing to cut over to: the migration is " + s.phase());
        }
        if (!store.cutOver()) {
            throw new EmbeddingMigrationConflictException(store.migrationState().missing() + " chunks still lack a "
                    + s.shadowModel() + " vector: the build is still running");
        }
        swapped();
        return view();
    }

    /** After this node's cut-over or rollback swap. */
    private void swapped() {
        if (republisher != null) {
            republisher.begin();
            republishDue = true;
        }
        MigrationPlan plan = lastPlan();
        if (plan != null && MigrationPlan.FINALIZE.equals(plan.action())) {
            finalizeIfCutOver(plan);
        }
        changed.run();
    }

    /**
     * Back to the previous model. After a cut-over, chunks written since have no previous-model vector
     * yet: they are embedded first, here, then the models swap back.
     */
    public MigrationView rollback() {
        EmbeddingMigrationState s = store.migrationState();
        if (s.phase() == EmbeddingMigrationPhase.NONE) {
            throw new EmbeddingMigrationConflictException("no embedding migration to roll back");
        }
        String target = targetOf(s);
        synchronized (this) {
            lastPlan = new MigrationPlan(MigrationPlan.ROLLBACK, target, planClock.next(), self);
        }
        MigrationView view = rollBackLocally(s);
        announcer.accept(lastPlan());
        return view;
    }

    private MigrationView rollBackLocally(EmbeddingMigrationState s) {
        for (int attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
            if (s.phase() == EmbeddingMigrationPhase.CUT_OVER) {
                drain();
            }
            if (store.rollbackMigration()) {
                if (s.phase() == EmbeddingMigrationPhase.CUT_OVER) {
                    swapped();
                } else {
                    changed.run();
                }
                return view();
            }
        }
        throw new EmbeddingMigrationConflictException("writes keep adding chunks faster than they are embedded; try again");
    }

    /** Drops the previous model's vectors: possible only after the cut-over, and final. */
    public MigrationView finalizeMigration() {
        store.finalizeMigration();
        announce(MigrationPlan.FINALIZE, store.activeEmbeddingModel());
        changed.run();
        return view();
    }

    /** Records what another node reported (its own state, from the control topic). */
    public void peerReported(NodeMigrationState state) {
        if (state != null && state.node() != null && !state.node().equals(self)) {
            peers.put(state.node(), state);
        }
    }

    public NodeMigrationState selfState() {
        EmbeddingMigrationState s = store.migrationState();
        return new NodeMigrationState(self, s.activeModel(), s.phase(), targetOf(s), progressOf(s), System.currentTimeMillis());
    }

    public MigrationView view() {
        EmbeddingMigrationState s = store.migrationState();
        Map<String, NodeMigrationState> nodes = new TreeMap<>(peers);
        nodes.put(self, new NodeMigrationState(self, s.activeModel(), s.phase(), targetOf(s), progressOf(s),
                System.currentTimeMillis()));
        String previous = switch (s.phase()) {
            case NONE -> null;
            case BUILDING -> s.activeModel();
            case CUT_OVER -> s.shadowModel();
        };
        return new MigrationView(s.activeModel(), s.phase(), targetOf(s), previous, s.startedAt(), s.liveChunks(),
                s.shadowVectors(), s.missing(), progressOf(s), rate.etaSeconds(s.missing()), lastError, nodes);
    }

    private static String targetOf(EmbeddingMigrationState s) {
        return switch (s.phase()) {
            case NONE -> null;
            case BUILDING -> s.shadowModel();
            case CUT_OVER -> s.activeModel();
        };
    }

    private static double progressOf(EmbeddingMigrationState s) {
        if (s.phase() == EmbeddingMigrationPhase.NONE) {
            return 1.0;
        }
        return s.liveChunks() == 0 ? 1.0 : Math.min(1.0, (double) s.shadowVectors() / s.liveChunks());
    }

    /** One step of the background build: a batch, or the cut-over once nothing is missing. */
    void step() {
        if (republishDue) {
            republishDue = republisher.republishBatch(config.batchSize());
        }
        if (store.shadowEmbeddingModel() == null) {
            return;
        }
        try {
            if (embedBatch() == 0 && config.autoCutOver()
                    && store.migrationState().phase() == EmbeddingMigrationPhase.BUILDING && store.cutOver()) {
                swapped();
            }
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.warnf("embedding migration step failed (retried at the next step): %s", e.toString());
        }
    }

    /** Embeds everything still missing, on the caller's thread. */
    private void drain() {
        int made;
        do {
            made = embedBatch();
        } while (made > 0);
    }

    /** Embeds one batch of chunks that lack a vector of the store's other model; returns how many were stored. */
    private synchronized int embedBatch() {
        ShadowBacklog backlog = store.shadowBacklog(Math.max(1, config.batchSize()));
        if (backlog.passages().isEmpty()) {
            return 0;
        }
        List<PendingPassage> withText = backlog.passages().stream().filter(p -> p.text() != null).toList();
        List<float[]> made = models.forModel(backlog.shadowModel())
                .embedPassages(withText.stream().map(p -> IngestService.withTitle(p.title(), p.text())).toList());
        Map<Long, float[]> vectors = new HashMap<>();
        for (int i = 0; i < withText.size(); i++) {
            vectors.put(withText.get(i).position(), made.get(i));
        }
        // a chunk synced without text cannot be re-embedded here: no vector for it in this model (cosine 0)
        for (PendingPassage p : backlog.passages()) {
            vectors.putIfAbsent(p.position(), new float[store.dimension()]);
        }
        int kept = store.putShadowVectors(backlog, vectors);
        rate.made(kept);
        return Math.max(kept, 1); // a batch lost to a compaction is read again, not mistaken for the end
    }

    /** The build's rate since it started in this process, for the ETA. */
    static final class BuildRate {
        private long since = System.nanoTime();
        private long count;

        synchronized void reset() {
            since = System.nanoTime();
            count = 0;
        }

        synchronized void made(int n) {
            count += n;
        }

        synchronized Long etaSeconds(long missing) {
            double seconds = (System.nanoTime() - since) / 1e9;
            if (missing == 0) {
                return 0L;
            }
            if (count == 0 || seconds <= 0) {
                return null;
            }
            return (long) Math.ceil(missing / (count / seconds));
        }
    }
}
