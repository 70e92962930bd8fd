package io.edgerag.store.local;

import io.edgerag.store.local.StoreRecords.ChunkMatch;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.Delete;
import io.edgerag.store.local.StoreRecords.DocInfo;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.MutationResult;
import io.edgerag.store.local.StoreRecords.PositionInfo;
import io.edgerag.store.local.StoreRecords.Upsert;
import io.edgerag.store.local.lucene.LuceneKeywordIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The durable local store: SQLite is the truth (documents, chunks with their vectors and index
 * positions, tombstones, change log, meta), the {@link VectorIndex} is a rebuildable cache of it.
 *
 * <p><b>Write</b> (serialised by {@code writeMutex}): validate, then one SQLite transaction per
 * batch (replaced chunks marked dead, new chunks at fresh positions, change-log rows, meta) committed
 * with {@code synchronous=FULL}; only then, under the write lock, the vectors enter the index and the
 * live bitmap / position table change; then the call returns. A search (read lock) therefore sees a
 * batch entirely or not at all. Rows of a position never change until compaction, so searches read
 * text and vectors by position from SQLite without further coordination.
 *
 * <p><b>Recovery</b> at open: load {@code index.faiss} when meta says it belongs to the current
 * generation and holds {@code snapshot_size} positions; otherwise (missing, corrupt, stale) build a
 * new index. Then replay the chunk rows at positions {@code index.size()..next_position-1} (their
 * vectors are in SQLite) and check that the index holds exactly {@code next_position} positions.
 *
 * <p><b>Compaction</b> builds a dense index from the live vectors without blocking anyone, catches
 * up with writes made meanwhile while holding {@code writeMutex}, then renumbers positions in SQLite
 * (one transaction, dead rows purged, generation bumped) and swaps the index under the write lock,
 * and writes a snapshot.
 *
 * <p><b>Keyword index</b> ({@link KeywordIndex}, BM25): the same positions, kept in step the same way:
 * added and deleted under the write lock right after the SQLite commit, committed with a snapshot every
 * 10,000 positions or 5 minutes and at close (its checkpoint says which generation and how many positions
 * it covers), replayed from SQLite at open
 * for whatever the checkpoint does not cover (dead positions deleted, a missing or stale index rebuilt),
 * and rebuilt beside the dense one by compaction in {@code keyword-g<generation>}.
 *
 * <p><b>Scores</b> are exact cosine: vectors are normalised for the inner-product index, and every
 * candidate the index proposes is re-scored from its stored vector.
 */
public final class DurableVectorStore implements LocalStore, AutoCloseable {

    private static final String TEXT_KEY_CHECK = "edgerag text key check";
    private static final Logger LOG = Logger.getLogger(DurableVectorStore.class);
    static final String DB_FILE = "store.db";
    static final String SNAPSHOT_FILE = "index.faiss";
    private static final int SCHEMA = 1;

    private final StoreConfig config;
    private final VectorIndexFactory indexFactory;
    private final KeywordIndexFactory keywordFactory;
    private final StoreDatabase db;
    private final VersionClock clock;
    private final Path snapshotFile;
    private final StoreDirectoryLock directoryLock;

    /** Serialises writers, snapshots and the final phase of compaction; taken before {@link #rw}. */
    private final ReentrantLock writeMutex = new ReentrantLock();
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final ReentrantLock compactionLock = new ReentrantLock();

    // guarded by rw (mutated under the write lock, which is only taken while holding writeMutex)
    private BufferedIndex index;
    private KeywordIndex keyword;
    private final ArrayList<PositionInfo> positions = new ArrayList<>();
    private PositionBitmap live;
    private long nextPosition;
    private long generation;

    // guarded by writeMutex
    private long snapshotSeq = -1;
    private long snapshotGeneration = -1;
    private long snapshotSize = -1;
    private KeywordIndex.Checkpoint keywordCommitted;
    private long keywordCommittedAtMs;
    static final long KEYWORD_COMMIT_POSITIONS = 10_000;
    static final long KEYWORD_COMMIT_INTERVAL_MS = 5 * 60_000;
    private boolean keywordDeletesSinceCommit;

    private final ScheduledExecutorService scheduler;
    private final ExecutorService compactor;
    private final AtomicBoolean compactionQueued = new AtomicBoolean();
    private volatile Runnable outboxListener = () -> { };
    private volatile java.util.function.LongConsumer compactionListener = generation -> { };
    /** When the oldest chunk row still on disk died (epoch ms), -1 when none: what the erasure bound is measured from. */
    private volatile long oldestDeadAtMs = -1;
    private volatile java.util.function.Supplier<String> traceContext = () -> null;
    /** The model of the vectors in {@code chunks} and the index (null: never declared); swapped under the write lock. */
    private volatile String activeModel;
    /** The migration under way, null when none; changed under {@link #writeMutex}. */
    private volatile Shadow shadow;
    private volatile long outboxDepth;
    private volatile long outboxBytes;
    private volatile boolean closed;
    private volatile String failure;

    private DurableVectorStore(StoreConfig config, VectorIndexFactory indexFactory, KeywordIndexFactory keywordFactory,
                               VersionClock clock) throws SQLException, IOException {
        this.config = config;
        this.indexFactory = indexFactory;
        this.keywordFactory = keywordFactory;
        this.clock = clock;
        Files.createDirectories(config.directory());
        this.directoryLock = StoreDirectoryLock.acquire(config.directory());
        this.snapshotFile = config.directory().resolve(SNAPSHOT_FILE);
        try {
            this.db = new StoreDatabase(config.directory().resolve(DB_FILE), config.textCipher());
        } catch (SQLException | RuntimeException e) {
            directoryLock.close();
            throw e;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("edgerag-store-snapshot"));
        this.compactor = Executors.newSingleThreadExecutor(daemon("edgerag-store-compaction"));
    }

    /** Opens (creating or recovering) the store in {@code config.directory()}. */
    public static DurableVectorStore open(StoreConfig config, VectorIndexFactory indexFactory) {
        return open(config, indexFactory, new MonotonicVersionClock());
    }

    public static DurableVectorStore open(StoreConfig config, VectorIndexFactory indexFactory, VersionClock clock) {
        return open(config, indexFactory, LuceneKeywordIndex::open, clock);
    }

    public static DurableVectorStore open(StoreConfig config, VectorIndexFactory indexFactory,
                                          KeywordIndexFactory keywordFactory, VersionClock clock) {
        DurableVectorStore store = null;
        try {
            store = new DurableVectorStore(config, indexFactory, keywordFactory, clock);
            store.recover();
            store.startSchedules();
            return store;
        } catch (SQLException | IOException | RuntimeException e) {
            if (store != null) {
                store.closeResources();
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot open store in " + config.directory() + ": " + e.getMessage(), e);
        }
    }

    // ==== LocalStore ==========================================================================

    @Override
    public StoredDocument upsert(DocumentWrite write) {
        if (write == null) {
            throw new InvalidStoreRequestException("document is missing");
        }
        if (write.chunks() == null) {
            throw new InvalidStoreRequestException(write.docId() + ": chunks are missing");
        }
        List<ChunkRecord> chunks = new ArrayList<>(write.chunks().size());
        for (DocumentWrite.ChunkWrite c : write.chunks()) {
            if (c == null) {
                throw new InvalidStoreRequestException(write.docId() + ": null chunk");
            }
            if (c.text() == null || c.text().isBlank()) {
                throw new InvalidStoreRequestException(write.docId() + ": chunk " + c.chunkId() + " has empty text");
            }
            chunks.add(new ChunkRecord(c.chunkId(), c.text(), null, c.vector()));
        }
        DocumentRecord doc = new DocumentRecord(write.docId(), write.title(), write.source(), write.collection(),
                write.metadata(), write.contentHash(), write.embeddingModel(), write.schemaVersion(), chunks, write.shadow());
        return apply(List.of(new Upsert(doc))).get(0).stored();
    }

    @Override
    public boolean delete(String docId) {
        return apply(List.of(new Delete(docId, null))).get(0).deleted();
    }

    @Override
    public Optional<StoredDocument> get(String docId) {
        requireDocId(docId);
        ensureUsable();
        return withReader(c -> db.document(c, docId));
    }

    /**
     * Every change applied to {@code docId} on this node, oldest first (local writes and changes of
     * other nodes that won): the audit trail of one document, and how tests count applies.
     */
    @Override
    public List<StoreRecords.AppliedChange> history(String docId) {
        requireDocId(docId);
        ensureUsable();
        return withReader(c -> db.history(c, docId));
    }

    /** Embedding model ids of the live documents (one, normally; more only mid-migration). */
    public java.util.Set<String> embeddingModels() {
        ensureUsable();
        return withReader(db::embeddingModels);
    }

    @Override
    public List<ChunkHit> search(float[] query, SearchRequest request) {
        if (request == null) {
            throw new InvalidStoreRequestException("search request is missing");
        }
        return search(query, null, request, RankedHits.Wanted.VECTOR).byVector();
    }

    @Override
    public RankedHits search(float[] queryVector, String queryText, SearchRequest request, RankedHits.Wanted wanted) {
        if (request == null || wanted == null) {
            throw new InvalidStoreRequestException("search request is missing");
        }
        checkK(request.k());
        Vectors.check(queryVector, config.dimension(), "query");
        if (Double.isNaN(request.minScore())) {
            throw new InvalidStoreRequestException("minScore must be a number");
        }
        float[] q = Vectors.normalized(queryVector);
        SearchFilter filter = request.filter();
        rw.readLock().lock();
        try {
            ensureUsable();
            requireQueryModel(request.queryModel());
            List<ChunkHit> byVector = List.of();
            if (wanted.vector()) {
                byVector = vectorMatches(q, request.k(), request.minScore(), filter.isEmpty() ? null : filter.asPredicate())
                        .stream().map(m -> toHit(m, Double.NaN)).toList();
            }
            List<ChunkHit> byKeyword = wanted.keyword() && queryText != null
                    ? keywordMatches(q, queryText, request.k(), filter) : List.of();
            return new RankedHits(byVector, byKeyword);
        } finally {
            rw.readLock().unlock();
        }
    }

    private static ChunkHit toHit(ChunkMatch m, double keywordScore) {
        return new ChunkHit(m.doc().docId(), m.chunkId(), m.text(), m.cosine(), m.doc().title(),
                m.doc().source(), m.doc().collection(), m.doc().metadata(), keywordScore);
    }

    private static void checkK(int k) {
        if (k <= 0 || k > SearchRequest.MAX_K) {
            throw new InvalidStoreRequestException("k must be between 1 and " + SearchRequest.MAX_K + ", was " + k);
        }
    }

    @Override
    public long chunkCount() {
        return underReadLock(() -> live.cardinality());
    }

    @Override
    public int dimension() {
        return config.dimension();
    }

    @Override
    public void backupTo(Path targetDir) {
        ensureUsable();
        try {
            Files.createDirectories(targetDir.toAbsolutePath().getParent());
            Files.createDirectory(targetDir);
            db.copyTo(targetDir.resolve(DB_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("backup to " + targetDir + " failed", e);
        } catch (SQLException e) {
            throw new IllegalStateException("backup to " + targetDir + " failed: " + e.getMessage(), e);
        }
    }

    // ==== engine API (shared with the LangChain4j adapter) =====================================

    /**
     * Applies a batch atomically and durably: all mutations or none, visible to searches at once
     * when this returns. Throws {@link InvalidStoreRequestException} before touching anything when
     * any mutation is invalid.
     */
    public List<MutationResult> apply(List<Mutation> batch) {
        if (batch == null || batch.isEmpty()) {
            return List.of();
        }
        for (Mutation m : batch) {
            validate(m);
        }
        List<MutationResult> results;
        WriteOutcome outcome;
        writeMutex.lock();
        try {
            ensureUsable();
            try {
                outcome = writeTransaction(batch);
            } catch (SQLException e) {
                db.rollbackQuietly();
                throw new IllegalStateException("write failed, nothing changed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                db.rollbackQuietly();
                throw e;
            }
            outboxDepth += outcome.outboxRows;
            outboxBytes += outcome.outboxBytes;
            rw.writeLock().lock();
            try {
                applyInMemory(outcome);
            } catch (RuntimeException e) {
                failure = "index update failed after commit (" + e + "); reopen the store to recover";
                throw new IllegalStateException(failure, e);
            } finally {
                rw.writeLock().unlock();
            }
            results = outcome.results;
        } finally {
            writeMutex.unlock();
        }
        if (outcome.outboxRows > 0) {
            outboxListener.run();
        }
        maybeScheduleCompaction();
        return results;
    }

    /**
     * Top {@code k} live chunks by cosine ≥ {@code minCosine}, in {@code collection} (null = all) and
     * passing {@code filter} (null = all). Filters become the allow-bitmap of the index search, so they
     * act before the top-k cut.
     */
    public List<ChunkMatch> searchChunks(float[] query, int k, double minCosine, String collection, Predicate<PositionInfo> filter) {
        Vectors.check(query, config.dimension(), "query");
        checkK(k);
        if (Double.isNaN(minCosine)) {
            throw new InvalidStoreRequestException("minScore must be a number");
        }
        float[] q = Vectors.normalized(query);
        Predicate<PositionInfo> combined = filter;
        if (collection != null) {
            Predicate<PositionInfo> inCollection = info -> collection.equals(info.doc().collection());
            combined = filter == null ? inCollection : inCollection.and(filter);
        }
        rw.readLock().lock();
        try {
            ensureUsable();
            return vectorMatches(q, k, minCosine, combined);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Under the read lock: top {@code k} by exact cosine among live positions passing {@code combined} (null = all). */
    private List<ChunkMatch> vectorMatches(float[] q, int k, double minCosine, Predicate<PositionInfo> combined) {
        ByteBuffer allow;
        long allowedCount;
        List<Long> exactCandidates = null;
        if (combined == null) {
            allow = live.buffer();
            allowedCount = live.cardinality();
        } else {
            PositionBitmap filtered = new PositionBitmap(positions.size());
            exactCandidates = new ArrayList<>();
            for (int p = 0; p < positions.size(); p++) {
                PositionInfo info = positions.get(p);
                if (info != null && combined.test(info)) {
                    filtered.set(p);
                    if (exactCandidates.size() <= config.exactSearchThreshold()) {
                        exactCandidates.add((long) p);
                    }
                }
            }
            allow = filtered.buffer();
            allowedCount = filtered.cardinality();
        }
        if (allowedCount == 0) {
            return List.of();
        }
        List<Long> candidates;
        if (exactCandidates != null && allowedCount <= config.exactSearchThreshold()) {
            candidates = exactCandidates;
        } else {
            candidates = indexCandidates(q, k, allow);
        }
        return rescore(q, k, minCosine, candidates);
    }

    /** Under the read lock: BM25 top {@code k}, in BM25 order, each with its cosine to {@code q}. */
    private List<ChunkHit> keywordMatches(float[] q, String text, int k, SearchFilter filter) {
        List<KeywordIndex.Hit> found = keyword.search(text, k, filter);
        if (found.isEmpty()) {
            return List.of();
        }
        long[] ps = found.stream().mapToLong(KeywordIndex.Hit::position).toArray();
        Map<Long, StoreDatabase.ChunkRow> rows = withReader(c -> db.chunkRows(c, ps));
        List<ChunkHit> hits = new ArrayList<>(found.size());
        for (KeywordIndex.Hit h : found) {
            StoreDatabase.ChunkRow row = rows.get(h.position());
            PositionInfo info = h.position() < positions.size() ? positions.get((int) h.position()) : null;
            if (row == null || info == null) {
                continue; // the index and the position table agree after every write; this is a guard
            }
            double cosine = Vectors.cosine(q, row.vector());
            hits.add(new ChunkHit(info.doc().docId(), info.chunkId(), row.text(), cosine, info.doc().title(),
                    info.doc().source(), info.doc().collection(), info.doc().metadata(), h.score()));
        }
        return hits;
    }

    /** Doc ids of live documents in {@code collection} (null = all) with at least one chunk passing {@code filter}. */
    public List<String> docIds(String collection, Predicate<PositionInfo> filter) {
        rw.readLock().lock();
        try {
            ensureUsable();
            Set<String> ids = new java.util.LinkedHashSet<>();
            for (PositionInfo info : positions) {
                if (info != null && (collection == null || collection.equals(info.doc().collection()))
                        && (filter == null || filter.test(info))) {
                    ids.add(info.doc().docId());
                }
            }
            return new ArrayList<>(ids);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Rebuilds the index from the live vectors now (on the caller's thread). */
    // ==== embedding migration (blue-green) =====================================================
    //
    // The target model's vectors are made beside the active ones, for the same positions, in the shadow
    // table; a cut-over swaps the two (SQLite in one transaction, the index under the write lock), so a
    // search always sees one model's vectors, and a rollback is the same swap back until finalize.

    private record Shadow(String model, EmbeddingMigrationPhase phase, Instant startedAt) {
    }

    /** A document's vectors for the {@code chunks} table and for the shadow table (null: none to keep). */
    private record ModelVectors(DocumentRecord document, List<float[]> shadow) {
    }

    /** The embedding model searches and writes must use now; null in a store no model was declared for. */
    public String activeEmbeddingModel() {
        return activeModel;
    }

    /**
     * Declares the model of a store that has none recorded yet (a new store, or one from before models were
     * recorded) and returns the store's model: once declared, only a migration changes it.
     */
    public String declareEmbeddingModel(String model) {
        return underWriteMutex(c -> {
            if (activeModel == null) {
                db.putMeta(StoreDatabase.META_ACTIVE_MODEL, model);
                activeModel = model;
            }
            return activeModel;
        });
    }

    /** The model of the shadow vectors (the target while building, the previous one after cut-over); null: no migration. */
    public String shadowEmbeddingModel() {
        Shadow s = shadow;
        return s == null ? null : s.model();
    }

    public EmbeddingMigrationState migrationState() {
        ensureUsable();
        Shadow s = shadow;
        long liveChunks = chunkCount();
        long made = s == null ? 0 : withReader(db::shadowVectorCount);
        return new EmbeddingMigrationState(activeModel, s == null ? EmbeddingMigrationPhase.NONE : s.phase(),
                s == null ? null : s.model(), s == null ? null : s.startedAt(), liveChunks, made);
    }

    /** Starts building {@code targetModel}'s vectors beside the active ones; the active model keeps serving. */
    public EmbeddingMigrationState startMigration(String targetModel) {
        underWriteMutex(c -> {
            if (activeModel == null) {
                throw new EmbeddingMigrationConflictException("the store has no declared embedding model to migrate from");
            }
            if (shadow != null) {
                throw new EmbeddingMigrationConflictException("a migration to " + (shadow.phase() == EmbeddingMigrationPhase.BUILDING
                        ? shadow.model() : activeModel) + " is " + shadow.phase() + ": roll it back or finalize it first");
            }
            if (activeModel.equals(targetModel)) {
                throw new EmbeddingMigrationConflictException(targetModel + " is already the active model");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            db.dropShadowVectors();
            db.putMeta(StoreDatabase.META_SHADOW_MODEL, targetModel);
            db.putMeta(StoreDatabase.META_MIGRATION_PHASE, EmbeddingMigrationPhase.BUILDING.name());
            db.putMeta(StoreDatabase.META_MIGRATION_STARTED, now.toEpochMilli());
            shadow = new Shadow(targetModel, EmbeddingMigrationPhase.BUILDING, now);
            return null;
        });
        LOG.infof("embedding migration started: %s -> %s", activeModel, targetModel);
        return migrationState();
    }

    /** Up to {@code limit} live chunks with no shadow vector yet; empty when none is missing or no migration runs. */
    public ShadowBacklog shadowBacklog(int limit) {
        ensureUsable();
        Shadow s = shadow;
        long gen = generation();
        if (s == null) {
            return new ShadowBacklog(null, gen, List.of());
        }
        return new ShadowBacklog(s.model(), gen, withReader(c -> db.shadowBacklog(c, limit)));
    }

    /**
     * Stores the shadow vectors made for {@code backlog} (position → vector). Returns how many were kept: none
     * when the migration changed or compaction renumbered the positions since the backlog was read.
     */
    public int putShadowVectors(ShadowBacklog backlog, Map<Long, float[]> vectors) {
        for (float[] v : vectors.values()) {
            if (v == null || v.length != config.dimension()) {
                throw new InvalidStoreRequestException("a shadow vector must have dimension " + config.dimension());
            }
        }
        return underWriteMutex(c -> {
            Shadow s = shadow;
            if (s == null || !s.model().equals(backlog.shadowModel()) || generation != backlog.generation()) {
                return 0;
            }
            int kept = 0;
            for (Map.Entry<Long, float[]> e : vectors.entrySet()) {
                if (live.get(e.getKey())) {
                    db.insertShadowVector(e.getKey(), e.getValue());
                    kept++;
                }
            }
            return kept;
        });
    }

    /**
     * Makes the target model the active one, atomically: refused (false) while any live chunk still lacks a
     * target vector. Writes wait while the new index is built; searches go on until the swap itself.
     */
    public boolean cutOver() {
        return swapModels(EmbeddingMigrationPhase.BUILDING);
    }

    /**
     * Back to the model that served before the migration: while building, the target's vectors are dropped;
     * after cut-over the previous vectors are swapped back in (refused while some lack one; make them first).
     */
    public boolean rollbackMigration() {
        Shadow s = shadow;
        if (s == null) {
            throw new EmbeddingMigrationConflictException("no embedding migration to roll back");
        }
        if (s.phase() == EmbeddingMigrationPhase.CUT_OVER) {
            return swapModels(EmbeddingMigrationPhase.CUT_OVER);
        }
        endMigration(EmbeddingMigrationPhase.BUILDING, "rolled back");
        return true;
    }

    /** Drops the previous model's vectors after a cut-over: from here on there is no way back. */
    public void finalizeMigration() {
        endMigration(EmbeddingMigrationPhase.CUT_OVER, "finalized");
    }

    private void endMigration(EmbeddingMigrationPhase expected, String what) {
        underWriteMutex(c -> {
            Shadow s = shadow;
            if (s == null || s.phase() != expected) {
                throw new EmbeddingMigrationConflictException("the embedding migration cannot be " + what + " in phase "
                        + (s == null ? EmbeddingMigrationPhase.NONE : s.phase()));
            }
            db.dropShadowVectors();
            shadow = null;
            return null;
        });
        LOG.infof("embedding migration %s: %s serves", what, activeModel);
    }

    private boolean swapModels(EmbeddingMigrationPhase expected) {
        compactionLock.lock(); // compaction copies the vectors of chunks: never while they trade places
        try {
            writeMutex.lock();
            try {
                ensureUsable();
                Shadow s = shadow;
                if (s == null || s.phase() != expected) {
                    throw new EmbeddingMigrationConflictException("no embedding migration in phase " + expected);
                }
                long missing = live.cardinality() - withReader(db::shadowVectorCount);
                if (missing > 0) {
                    return false;
                }
                BufferedIndex fresh = shadowIndex(nextPosition);
                String previous = activeModel;
                try {
                    db.swapShadowVectors();
                    db.relabelEmbeddingModel(s.model());
                    db.putMeta(StoreDatabase.META_ACTIVE_MODEL, s.model());
                    db.putMeta(StoreDatabase.META_SNAPSHOT_GENERATION, -1); // the snapshot holds the other model
                    if (expected == EmbeddingMigrationPhase.BUILDING) {
                        db.putMeta(StoreDatabase.META_SHADOW_MODEL, previous);
                        db.putMeta(StoreDatabase.META_MIGRATION_PHASE, EmbeddingMigrationPhase.CUT_OVER.name());
                    } else {
                        db.dropShadowVectors();
                    }
                    db.commit();
                } catch (SQLException | RuntimeException e) {
                    db.rollbackQuietly();
                    fresh.close();
                    throw new IllegalStateException("embedding model swap failed, nothing changed: " + e.getMessage(), e);
                }
                rw.writeLock().lock();
                try {
                    BufferedIndex old = index;
                    index = fresh;
                    activeModel = s.model();
                    shadow = expected == EmbeddingMigrationPhase.BUILDING
                            ? new Shadow(previous, EmbeddingMigrationPhase.CUT_OVER, s.startedAt()) : null;
                    old.close();
                } finally {
                    rw.writeLock().unlock();
                }
                snapshotSeq = -1;
                snapshotLocked();
                LOG.infof("embedding model swapped: %s -> %s (%s)", previous, activeModel,
                        expected == EmbeddingMigrationPhase.BUILDING ? "cut-over" : "rollback");
                return true;
            } finally {
                writeMutex.unlock();
            }
        } finally {
            compactionLock.unlock();
        }
    }

    /** Under {@link #writeMutex}: an index over the shadow vectors of positions {@code 0..end-1}, dead ones as zeros. */
    private BufferedIndex shadowIndex(long end) {
        String factory = index.factoryString;
        int dim = config.dimension();
        BufferedIndex fresh = new BufferedIndex(indexFactory.create(factory, dim), factory, config.trainMinVectors());
        int batch = 4096;
        for (long from = 0; from < end; from += batch) {
            long lo = from;
            long hi = Math.min(end, from + batch);
            Map<Long, float[]> vectors = withReader(c -> db.shadowVectors(c, lo, hi));
            float[] flat = new float[(int) (hi - lo) * dim];
            for (long p = lo; p < hi; p++) {
                float[] v = vectors.get(p);
                if (v != null && live.get(p)) {
                    System.arraycopy(Vectors.normalized(v), 0, flat, (int) (p - lo) * dim, dim);
                }
            }
            fresh.add(flat, (int) (hi - lo));
        }
        return fresh;
    }

    /** Under the read lock: a query vector of another model than the one served is refused, never compared. */
    private void requireQueryModel(String queryModel) {
        String active = activeModel;
        if (queryModel != null && active != null && !active.equals(queryModel)) {
            throw new EmbeddingModelChangedException("the query was embedded with " + queryModel + " but the store now serves " + active);
        }
    }

    /**
     * Which vectors of a write go where. A document embedded with both models just before a cut-over or
     * rollback swapped them is stored the other way round; one embedded with a model the store does not
     * serve is refused rather than mixed into the index.
     */
    private ModelVectors modelVectors(DocumentRecord d) {
        Shadow s = shadow;
        StoreRecords.ShadowVectors extra = d.shadow();
        boolean complete = extra != null && extra.vectors() != null && extra.vectors().size() == d.chunks().size();
        String active = activeModel;
        if (active == null || d.embeddingModel() == null || active.equals(d.embeddingModel())) {
            boolean keep = complete && s != null && s.model().equals(extra.model());
            return new ModelVectors(d, keep ? extra.vectors() : null);
        }
        if (complete && active.equals(extra.model())) {
            List<ChunkRecord> chunks = new ArrayList<>(d.chunks().size());
            List<float[]> previous = new ArrayList<>(d.chunks().size());
            for (int i = 0; i < d.chunks().size(); i++) {
                ChunkRecord c = d.chunks().get(i);
                chunks.add(new ChunkRecord(c.chunkId(), c.text(), c.metadata(), extra.vectors().get(i)));
                previous.add(c.vector());
            }
            DocumentRecord swapped = new DocumentRecord(d.docId(), d.title(), d.source(), d.collection(), d.metadata(),
                    d.contentHash(), active, d.schemaVersion(), chunks, null);
            boolean keep = s != null && s.model().equals(d.embeddingModel());
            return new ModelVectors(swapped, keep ? previous : null);
        }
        throw new EmbeddingModelChangedException(d.docId() + " was embedded with " + d.embeddingModel()
                + " but the store now serves " + active);
    }

    // ==== outbox (hybrid mode) ==================================================================

    /** The oldest {@code limit} unpublished local changes, in write order. */
    public List<StoreRecords.OutboxEntry> pendingChanges(int limit) {
        return underWriteMutex(c -> db.outbox(limit));
    }

    /**
     * What to publish for {@code entry}: the document as of that version, or empty when a later write
     * superseded it (the later write is published on its own, and greater versions win anyway).
     */
    public Optional<StoreRecords.DocumentChange> changeOf(StoreRecords.OutboxEntry entry) {
        return underWriteMutex(c -> Optional.ofNullable(db.documentChange(entry.docId(), entry.version())));
    }

    /**
     * The document as of {@code version}, as the outbox would publish it; empty when a later write
     * superseded that version (a {@code cloud} write then has nothing older to push).
     */
    public Optional<StoreRecords.DocumentChange> changeAt(String docId, Version version) {
        requireDocId(docId);
        return underWriteMutex(c -> Optional.ofNullable(db.documentChange(docId, version)));
    }

    /** Removes published (or superseded) entries; call only once the broker has acknowledged them. */
    public void markPublished(List<StoreRecords.OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long[] removed = underWriteMutex(c -> db.removeFromOutbox(entries.stream().map(StoreRecords.OutboxEntry::seq).toList()));
        // the counters change only under the write mutex (apply() grows them); committed first, then counted
        writeMutex.lock();
        try {
            outboxDepth -= removed[0];
            outboxBytes -= removed[1];
        } finally {
            writeMutex.unlock();
        }
    }

    /** {@code listener} runs after every write that added to the outbox (it wakes the relay). */
    public void onOutboxAppend(Runnable listener) {
        outboxListener = listener == null ? () -> { } : listener;
    }

    /**
     * {@code source} gives the trace context (a W3C {@code traceparent}, or null) of the caller of
     * {@link #apply}; it is stored with each outbox row that write queues, so that publishing, however
     * much later, continues the write's trace. Called on the writing thread, inside the write.
     */
    public void traceContextSource(java.util.function.Supplier<String> source) {
        traceContext = source == null ? () -> null : source;
    }

    /** Unpublished local changes. */
    public long outboxDepth() {
        return outboxDepth;
    }

    /** Estimated payload bytes of the unpublished local changes (what the disk budget counts). */
    public long outboxBytes() {
        return outboxBytes;
    }

    /** Version state of a document (live or tombstone); empty when this node never saw it. */
    public Optional<ConflictRule.DocState> versionOf(String docId) {
        requireDocId(docId);
        return underWriteMutex(c -> Optional.ofNullable(db.docState(docId)));
    }

    private <T> T underWriteMutex(SqlWork<T> work) {
        writeMutex.lock();
        try {
            ensureUsable();
            try {
                T result = work.run(db.writer());
                db.commit();
                return result;
            } catch (SQLException e) {
                db.rollbackQuietly();
                throw new IllegalStateException("store read failed: " + e.getMessage(), e);
            }
        } finally {
            writeMutex.unlock();
        }
    }

    /** Called after each compaction (on the compacting thread) with the new generation: the audit trail's hook. */
    public void onCompacted(java.util.function.LongConsumer listener) {
        this.compactionListener = listener;
    }

    /** When the oldest chunk still on disk and in the indexes died (deleted or replaced); empty when none did. */
    public Optional<Instant> oldestUnpurgedDeath() {
        long at = oldestDeadAtMs;
        return at < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }

    /**
     * Whether any chunk of {@code docId}, live or dead, is still stored (SQLite row, FAISS vector, Lucene
     * entry): after a delete, true until the compaction that purges it. A full scan over dead rows; for
     * erasure reports, not for hot paths.
     */
    public boolean holdsChunksOf(String docId) {
        requireDocId(docId);
        ensureUsable();
        return withReader(c -> db.holdsChunksOf(c, docId));
    }

    public void compact() {
        ensureUsable();
        compactionLock.lock();
        try {
            doCompact();
        } catch (SQLException e) {
            throw new IllegalStateException("compaction failed: " + e.getMessage(), e);
        } finally {
            compactionLock.unlock();
        }
    }

    /** Writes an index snapshot and commits the keyword index now, when anything changed since the last ones. */
    public void snapshot() {
        snapshot(true);
    }

    private void snapshot(boolean commitKeyword) {
        writeMutex.lock();
        try {
            ensureUsable();
            snapshotLocked(commitKeyword);
        } finally {
            writeMutex.unlock();
        }
    }

    /** Chunks the keyword index holds: the live chunks that have text (all, except text-less synced ones). */
    public long keywordChunkCount() {
        return underReadLock(() -> keyword.liveCount());
    }

    /** Positions ever allocated in the current generation (live + dead). */
    public long positionCount() {
        return underReadLock(() -> nextPosition);
    }

    /** The FAISS factory string of the current index. */
    public String indexFactoryString() {
        return underReadLock(() -> index.factoryString);
    }

    /** Whether the current index has been trained (always true for Flat/HNSW). */
    public boolean isIndexTrained() {
        return underReadLock(() -> index.index.isTrained() && index.pendingCount() == 0);
    }

    /** How many times the index has been rebuilt by compaction. */
    public long generation() {
        return underReadLock(() -> generation);
    }

    public StoreConfig config() {
        return config;
    }

    private <T> T underReadLock(java.util.function.Supplier<T> read) {
        rw.readLock().lock();
        try {
            return read.get();
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        scheduler.shutdownNow();
        compactor.shutdown();
        try {
            if (!compactor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("compaction still running at close; it will be abandoned");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeMutex.lock();
        try {
            if (closed) {
                return;
            }
            if (failure == null) {
                try {
                    snapshotLocked(true);
                } catch (RuntimeException e) {
                    LOG.warn("snapshot at close failed; the next start rebuilds the index from SQLite", e);
                }
            }
            closed = true;
            rw.writeLock().lock();
            try {
                closeResources();
            } finally {
                rw.writeLock().unlock();
            }
        } finally {
            writeMutex.unlock();
        }
    }

    // ==== write path ==========================================================================

    private void validate(Mutation m) {
        if (m == null) {
            throw new InvalidStoreRequestException("null mutation");
        }
        requireDocId(m.docId());
        if (m instanceof Upsert u) {
            DocumentRecord d = u.document();
            if (d.chunks() == null) {
                throw new InvalidStoreRequestException(d.docId() + ": chunks are missing");
            }
            if (d.metadata() != null) {
                for (Map.Entry<String, String> e : d.metadata().entrySet()) {
                    if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                        throw new InvalidStoreRequestException(d.docId() + ": metadata keys and values must not be null or empty");
                    }
                }
            }
            Set<String> chunkIds = new HashSet<>();
            for (ChunkRecord c : d.chunks()) {
                if (c == null) {
                    throw new InvalidStoreRequestException(d.docId() + ": null chunk");
                }
                if (c.chunkId() == null || c.chunkId().isBlank()) {
                    throw new InvalidStoreRequestException(d.docId() + ": chunkId must not be empty");
                }
                if (!chunkIds.add(c.chunkId())) {
                    throw new InvalidStoreRequestException(d.docId() + ": duplicate chunkId " + c.chunkId());
                }
                Vectors.check(c.vector(), config.dimension(), "chunk " + c.chunkId());
                MetadataCodec.checkTyped(c.metadata(), "chunk " + c.chunkId());
            }
        }
    }

    private static void requireDocId(String docId) {
        if (docId == null || docId.isBlank()) {
            throw new InvalidStoreRequestException("docId must not be empty");
        }
    }

    private record Added(long position, PositionInfo info, float[] normalized, String keywordText) {
    }

    /** What the keyword index analyses for a chunk: the title (as the embedding model reads it too) and the text. */
    static String keywordText(String title, String text) {
        if (text == null) {
            return null; // synced from a residency-restricted collection: nothing to search or show here
        }
        return title == null || title.isBlank() ? text : title + "\n" + text;
    }

    private static final class WriteOutcome {
        final List<Added> added = new ArrayList<>();
        final List<Long> killed = new ArrayList<>();
        final List<MutationResult> results = new ArrayList<>();
        long next;
        long outboxRows;
        long outboxBytes;
        long localOutboxBytes;
        String traceparent;
    }

    private WriteOutcome writeTransaction(List<Mutation> batch) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        WriteOutcome out = new WriteOutcome();
        out.next = nextPosition;
        out.traceparent = config.outboxEnabled() ? traceContext.get() : null;
        for (Mutation m : batch) {
            if (m instanceof Upsert u) {
                upsertInTransaction(u, now, out);
            } else {
                deleteInTransaction((Delete) m, now, out);
            }
        }
        // only this node's own writes are refused: changes of other nodes must always be applicable
        // (and a single write larger than the whole budget still goes through an empty outbox)
        if (config.outboxEnabled() && config.outboxMaxBytes() > 0 && out.localOutboxBytes > 0 && outboxBytes > 0
                && outboxBytes + out.outboxBytes > config.outboxMaxBytes()) {
            throw new OutboxFullException("the outbox of unpublished changes holds " + outboxBytes + " bytes (budget "
                    + config.outboxMaxBytes() + "): the broker has been unreachable for long; writes resume once it drains");
        }
        boolean firstDeath = !out.killed.isEmpty() && oldestDeadAtMs < 0;
        if (firstDeath) {
            db.putMeta(StoreDatabase.META_OLDEST_DEAD, now.toEpochMilli());
        }
        db.putMeta(StoreDatabase.META_NEXT_POSITION, out.next);
        db.putMeta(StoreDatabase.META_LAST_VERSION, clock.last());
        db.commit();
        if (firstDeath) {
            oldestDeadAtMs = now.toEpochMilli();
        }
        return out;
    }

    private void upsertInTransaction(Upsert u, Instant now, WriteOutcome out) throws SQLException {
        ModelVectors vectors = modelVectors(u.document());
        DocumentRecord d = vectors.document();
        Version version;
        if (u.remoteVersion() == null) {
            version = new Version(clock.next(), config.nodeId());
        } else {
            version = u.remoteVersion();
            ConflictRule.DocState stored = db.docState(d.docId());
            if (!ConflictRule.wins(new ConflictRule.DocState(version, false, d.contentHash()), stored)) {
                reassertIfOwned(d.docId(), version, stored, now, out);
                out.results.add(MutationResult.lostTo(stored.version()));
                return;
            }
            clock.observe(version.hlc());
        }
        StoreDatabase.LiveDoc old = db.liveDocument(d.docId());
        if (old != null) {
            out.killed.addAll(old.positions());
            db.killChunks(d.docId());
        }
        db.upsertDocument(d, version, now);
        Map<String, String> docMeta = d.metadata() == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(d.metadata()));
        DocInfo info = new DocInfo(d.docId(), d.title(), d.source(), d.collection(), docMeta);
        Map<String, Object> docMetaAsObjects = Collections.unmodifiableMap(new LinkedHashMap<>(docMeta));
        int ord = 0;
        long payloadBytes = 256;
        for (ChunkRecord c : d.chunks()) {
            if (vectors.shadow() != null) {
                db.insertShadowVector(out.next, vectors.shadow().get(ord));
            }
            db.insertChunk(out.next, d.docId(), ord++, c, true);
            Map<String, Object> meta = c.metadata() == null || c.metadata().isEmpty() ? docMetaAsObjects
                    : Collections.unmodifiableMap(new LinkedHashMap<>(c.metadata()));
            out.added.add(new Added(out.next, new PositionInfo(c.chunkId(), info, meta), Vectors.normalized(c.vector()),
                    keywordText(d.title(), c.text())));
            out.next++;
            payloadBytes += 64 + 4L * c.vector().length + (c.text() == null ? 0 : 3L * c.text().length());
        }
        db.appendChange(d.docId(), "UPSERT", version, now);
        if (u.remoteVersion() == null && config.outboxEnabled()) {
            db.appendOutbox(d.docId(), StoreRecords.ChangeType.UPSERT, version, now, payloadBytes, out.traceparent);
            out.outboxRows++;
            out.outboxBytes += payloadBytes;
            out.localOutboxBytes += payloadBytes;
        }
        out.results.add(new MutationResult(new StoredDocument(d.docId(), d.title(), d.source(), d.collection(),
                docMeta, d.contentHash(), d.embeddingModel(), d.schemaVersion(), d.chunks().size(), version, now), false));
    }

    /**
     * A change that lost to a version this node wrote arrived after it in the log. A compacted topic
     * keeps only the last record per docId, so a node bootstrapping from it would get the loser: the
     * owner of the winning version publishes it once more, which makes the winner the last record
     * again. Only the owner does it, and a duplicate never triggers it, so it cannot loop.
     */
    private void reassertIfOwned(String docId, Version lost, ConflictRule.DocState stored, Instant now, WriteOutcome out)
            throws SQLException {
        if (config.outboxEnabled() && !lost.equals(stored.version()) && config.nodeId().equals(stored.version().nodeId())) {
            db.appendOutbox(docId, stored.deleted() ? StoreRecords.ChangeType.DELETE : StoreRecords.ChangeType.UPSERT,
                    stored.version(), now, 256, out.traceparent);
            out.outboxRows++;
            out.outboxBytes += 256;
        }
    }

    private void deleteInTransaction(Delete del, Instant now, WriteOutcome out) throws SQLException {
        StoreDatabase.LiveDoc old = db.liveDocument(del.docId());
        Version version;
        if (del.remoteVersion() == null) {
            if (old == null || (del.collection() != null && !del.collection().equals(old.collection()))) {
                out.results.add(new MutationResult(null, false));
                return;
            }
            version = new Version(clock.next(), config.nodeId());
        } else {
            version = del.remoteVersion();
            ConflictRule.DocState stored = db.docState(del.docId());
            if (!ConflictRule.wins(new ConflictRule.DocState(version, true, null), stored)) {
                reassertIfOwned(del.docId(), version, stored, now, out);
                out.results.add(MutationResult.lostTo(stored.version()));
                return;
            }
            clock.observe(version.hlc());
        }
        if (old != null) {
            out.killed.addAll(old.positions());
            db.killChunks(del.docId());
        }
        db.tombstone(del.docId(), version, now);
        db.appendChange(del.docId(), "DELETE", version, now);
        if (del.remoteVersion() == null && config.outboxEnabled()) {
            db.appendOutbox(del.docId(), StoreRecords.ChangeType.DELETE, version, now, 256, out.traceparent);
            out.outboxRows++;
            out.outboxBytes += 256;
            out.localOutboxBytes += 256;
        }
        out.results.add(new MutationResult(null, old != null));
    }

    private void applyInMemory(WriteOutcome out) {
        int n = out.added.size();
        if (n > 0) {
            int dim = config.dimension();
            float[] flat = new float[n * dim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(out.added.get(i).normalized(), 0, flat, i * dim, dim);
            }
            index.add(flat, n);
            for (Added a : out.added) {
                if (a.position() != positions.size()) {
                    throw new IllegalStateException("position " + a.position() + " out of order, expected " + positions.size());
                }
                positions.add(a.info());
                live.set(a.position());
            }
            List<KeywordIndex.Entry> entries = new ArrayList<>(n);
            for (Added a : out.added) {
                if (a.keywordText() != null) {
                    entries.add(new KeywordIndex.Entry(a.position(), a.keywordText(), a.info()));
                }
            }
            keyword.add(entries);
        }
        for (long p : out.killed) {
            positions.set((int) p, null);
            live.clear(p);
        }
        if (!out.killed.isEmpty()) {
            keyword.delete(out.killed.stream().mapToLong(Long::longValue).toArray());
            keywordDeletesSinceCommit = true;
        }
        nextPosition = out.next;
    }

    // ==== search internals ======================================================================

    private List<Long> indexCandidates(float[] q, int k, ByteBuffer allow) {
        int kk = (int) Math.min((long) k * config.rerankOversample(), SearchRequest.MAX_K * 8L);
        List<Long> candidates = new ArrayList<>();
        if (index.index.size() > 0) {
            VectorIndex.SearchHits hits = index.index.search(q, 1, kk, allow, config.tuning());
            for (long p : hits.positions()) {
                if (p >= 0 && p < positions.size() && positions.get((int) p) != null
                        && (allow.get((int) (p >>> 3)) & (1 << (p & 7))) != 0) {
                    candidates.add(p);
                }
            }
        }
        index.scanPending(q, kk, allow, (p, score) -> candidates.add(p));
        return candidates;
    }

    private List<ChunkMatch> rescore(float[] q, int k, double minCosine, List<Long> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        long[] ps = candidates.stream().mapToLong(Long::longValue).distinct().toArray();
        Map<Long, StoreDatabase.ChunkRow> rows = withReader(c -> db.chunkRows(c, ps));
        List<ChunkMatch> out = new ArrayList<>(ps.length);
        for (long p : ps) {
            StoreDatabase.ChunkRow row = rows.get(p);
            PositionInfo info = positions.get((int) p);
            if (row == null || info == null) {
                continue;
            }
            double cosine = Vectors.cosine(q, row.vector());
            if (cosine >= minCosine) {
                out.add(new ChunkMatch(p, info.chunkId(), row.text(), info.metadata(), row.vector(), cosine, info.doc()));
            }
        }
        out.sort(Comparator.comparingDouble(ChunkMatch::cosine).reversed().thenComparingLong(ChunkMatch::position));
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }

    // ==== recovery ==============================================================================

    /**
     * A missing or wrong encryption key stops the start here, rather than surfacing as passages that cannot be
     * read at the first search. The first start with a key seals a known text under it; rows written before
     * encryption was turned on stay plaintext until rewritten.
     */
    private void checkTextKey(Map<String, String> meta) throws SQLException {
        TextCipher cipher = config.textCipher();
        String check = meta.get(StoreDatabase.META_TEXT_KEY_CHECK);
        if (check == null) {
            if (cipher.encrypts()) {
                db.putMeta(StoreDatabase.META_TEXT_KEY_CHECK, cipher.seal(TEXT_KEY_CHECK));
                db.commit();
            }
            return;
        }
        if (!TEXT_KEY_CHECK.equals(cipher.open(check))) {
            throw new IllegalStateException("the key check of " + config.directory() + " did not decrypt to itself");
        }
    }

    private void recover() throws SQLException {
        Map<String, String> meta = db.readMeta();
        if (meta.containsKey(StoreDatabase.META_DIMENSION)) {
            int stored = Integer.parseInt(meta.get(StoreDatabase.META_DIMENSION));
            if (stored != config.dimension()) {
                throw new IllegalStateException("store in " + config.directory() + " has dimension " + stored
                        + ", configured " + config.dimension());
            }
        } else {
            db.putMeta(StoreDatabase.META_DIMENSION, config.dimension());
            db.putMeta(StoreDatabase.META_SCHEMA, SCHEMA);
            db.putMeta(StoreDatabase.META_GENERATION, 0);
            db.putMeta(StoreDatabase.META_NEXT_POSITION, 0);
            db.putMeta(StoreDatabase.META_LAST_VERSION, 0);
            db.commit();
            meta = db.readMeta();
        }
        checkTextKey(meta);
        activeModel = meta.get(StoreDatabase.META_ACTIVE_MODEL);
        if (meta.containsKey(StoreDatabase.META_SHADOW_MODEL)) {
            shadow = new Shadow(meta.get(StoreDatabase.META_SHADOW_MODEL),
                    EmbeddingMigrationPhase.valueOf(meta.get(StoreDatabase.META_MIGRATION_PHASE)),
                    Instant.ofEpochMilli(Long.parseLong(meta.get(StoreDatabase.META_MIGRATION_STARTED))));
        }
        generation = Long.parseLong(meta.get(StoreDatabase.META_GENERATION));
        nextPosition = Long.parseLong(meta.get(StoreDatabase.META_NEXT_POSITION));
        clock.observe(Long.parseLong(meta.get(StoreDatabase.META_LAST_VERSION)));
        loadPositions();
        openOutbox(meta);
        recoverOldestDead(meta);

        long liveCount = live.cardinality();
        String factory = meta.getOrDefault(StoreDatabase.META_INDEX_FACTORY, config.factoryFor(liveCount));
        if (!config.isAuto() && !factory.equals(config.indexFactory())) {
            factory = config.indexFactory(); // configuration changed: rebuild with the new type
        }
        VectorIndex loaded = loadSnapshot(meta, factory);
        if (loaded == null) {
            if (config.isAuto()) {
                factory = config.factoryFor(liveCount);
            }
            index = new BufferedIndex(indexFactory.create(factory, config.dimension()), factory, config.trainMinVectors());
            LOG.infof("building index %s for %d positions from SQLite", factory, nextPosition);
        } else {
            index = new BufferedIndex(loaded, factory, config.trainMinVectors());
            snapshotGeneration = generation;
            snapshotSize = loaded.size();
            snapshotSeq = Long.parseLong(meta.getOrDefault(StoreDatabase.META_SNAPSHOT_SEQ, "-1"));
        }
        replay(index.size());
        if (index.size() != nextPosition) {
            throw new IllegalStateException("index holds " + index.size() + " positions, SQLite " + nextPosition);
        }
        recoverKeywordIndex();
        if (!factory.equals(meta.get(StoreDatabase.META_INDEX_FACTORY))) {
            db.putMeta(StoreDatabase.META_INDEX_FACTORY, factory);
            db.commit();
        }
        LOG.infof("store %s open: %d live chunks, %d positions, index %s", config.directory(), live.cardinality(), nextPosition, factory);
    }

    /**
     * A store that was written standalone and now runs with an outbox publishes everything it holds
     * once, so peers that never saw its earlier writes converge too.
     */
    private void openOutbox(Map<String, String> meta) throws SQLException {
        if (config.outboxEnabled() && !meta.containsKey(StoreDatabase.META_OUTBOX_SEEDED)) {
            int seeded = db.seedOutbox(Instant.now());
            db.putMeta(StoreDatabase.META_OUTBOX_SEEDED, Instant.now().toString());
            db.commit();
            if (seeded > 0) {
                LOG.infof("outbox enabled on a store with %d documents: all of them queued for publishing once", seeded);
            }
        }
        long[] totals = db.outboxTotals();
        db.commit();
        outboxDepth = totals[0];
        outboxBytes = totals[1];
    }

    private VectorIndex loadSnapshot(Map<String, String> meta, String factory) {
        if (!Files.exists(snapshotFile)) {
            return null;
        }
        String snapGen = meta.get(StoreDatabase.META_SNAPSHOT_GENERATION);
        String snapSize = meta.get(StoreDatabase.META_SNAPSHOT_SIZE);
        if (snapGen == null || snapSize == null || Long.parseLong(snapGen) != generation
                || !factory.equals(meta.get(StoreDatabase.META_INDEX_FACTORY))) {
            LOG.infof("snapshot %s is stale; rebuilding", snapshotFile);
            return null;
        }
        VectorIndex loaded;
        try {
            loaded = indexFactory.load(snapshotFile);
        } catch (RuntimeException e) {
            LOG.warnf("snapshot %s unreadable (%s); rebuilding from SQLite", snapshotFile, e.getMessage());
            return null;
        }
        if (loaded.dimension() != config.dimension() || loaded.size() != Long.parseLong(snapSize)
                || loaded.size() > nextPosition || !loaded.isTrained()) {
            LOG.warnf("snapshot %s does not match meta (size %d, expected %s); rebuilding", snapshotFile, loaded.size(), snapSize);
            loaded.close();
            return null;
        }
        return loaded;
    }

    private void loadPositions() throws SQLException {
        positions.clear();
        positions.ensureCapacity((int) nextPosition);
        live = new PositionBitmap(nextPosition);
        Map<String, DocInfo> docs = new HashMap<>();
        Map<String, Map<String, Object>> docMetaObjects = new HashMap<>();
        Connection c = db.writer();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT doc_id, title, source, collection, metadata FROM documents WHERE deleted = 0""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, String> m = Collections.unmodifiableMap(new LinkedHashMap<>(MetadataCodec.readStrings(rs.getString(5))));
                DocInfo d = new DocInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), m);
                docs.put(d.docId(), d);
                docMetaObjects.put(d.docId(), Collections.unmodifiableMap(new LinkedHashMap<>(m)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT position, chunk_id, doc_id, live, metadata FROM chunks WHERE position < ? ORDER BY position")) {
            ps.setLong(1, nextPosition);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long p = rs.getLong(1);
                    while (positions.size() < p) {
                        positions.add(null); // a hole cannot happen; tolerate it as a dead position
                    }
                    DocInfo doc = docs.get(rs.getString(3));
                    if (rs.getInt(4) == 1 && doc != null) {
                        String typed = rs.getString(5);
                        Map<String, Object> m = typed == null ? docMetaObjects.get(doc.docId())
                                : Collections.unmodifiableMap(MetadataCodec.readTyped(typed));
                        positions.add(new PositionInfo(rs.getString(2), doc, m));
                        live.set(p);
                    } else {
                        positions.add(null);
                    }
                }
            }
        }
        while (positions.size() < nextPosition) {
            positions.add(null);
        }
        c.commit();
    }

    /** Re-adds the stored vectors of positions {@code from..nextPosition-1} to the index, in order. */
    private void replay(long from) throws SQLException {
        if (from >= nextPosition) {
            return;
        }
        int dim = config.dimension();
        int batch = 4096;
        float[] flat = new float[batch * dim];
        int n = 0;
        long expected = from;
        Connection c = db.writer();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT position, vector FROM chunks WHERE position >= ? AND position < ? ORDER BY position")) {
            ps.setLong(1, from);
            ps.setLong(2, nextPosition);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long p = rs.getLong(1);
                    while (expected < p) { // hole: keep positions aligned with a zero (dead) vector
                        n = flushIfFull(flat, n, batch);
                        java.util.Arrays.fill(flat, n * dim, (n + 1) * dim, 0f);
                        n++;
                        expected++;
                    }
                    n = flushIfFull(flat, n, batch);
                    System.arraycopy(Vectors.normalized(Vectors.fromBlob(rs.getBytes(2))), 0, flat, n * dim, dim);
                    n++;
                    expected++;
                }
            }
        }
        while (expected < nextPosition) {
            n = flushIfFull(flat, n, batch);
            java.util.Arrays.fill(flat, n * dim, (n + 1) * dim, 0f);
            n++;
            expected++;
        }
        index.add(java.util.Arrays.copyOf(flat, n * dim), n);
        c.commit();
    }

    /**
     * Opens the keyword index of this generation and brings it to {@code nextPosition}: from its last
     * checkpoint when that belongs to this generation, else from nothing. Positions that died after the
     * checkpoint are deleted; anything past it (flushed but never committed) is dropped and replayed.
     */
    private void recoverKeywordIndex() throws SQLException {
        removeKeywordIndexesExcept(keywordDirectory(generation));
        keyword = keywordFactory.open(keywordDirectory(generation));
        Optional<KeywordIndex.Checkpoint> checkpoint = keyword.checkpoint();
        long from = 0;
        if (checkpoint.isPresent() && checkpoint.get().generation() == generation
                && checkpoint.get().nextPosition() <= nextPosition) {
            from = checkpoint.get().nextPosition();
            keyword.delete(deadPositionsBelow(from));
            keyword.deleteFrom(from);
        } else {
            keyword.clear();
            LOG.infof("building the keyword index for %d positions from SQLite", nextPosition);
        }
        addKeywordEntries(keyword, from, nextPosition, p -> positions.get((int) p), p -> p);
        keyword.commit(new KeywordIndex.Checkpoint(generation, nextPosition));
        keywordCommitted = new KeywordIndex.Checkpoint(generation, nextPosition);
        keywordCommittedAtMs = System.currentTimeMillis();
    }

    private long[] deadPositionsBelow(long end) {
        return java.util.stream.LongStream.range(0, end).filter(p -> positions.get((int) p) == null).toArray();
    }

    /**
     * Adds the chunk texts of positions {@code from..to-1} for which {@code infoOf} gives a PositionInfo
     * (null = skip), each at {@code newPosition.applyAsLong(position)}.
     */
    private void addKeywordEntries(KeywordIndex target, long from, long to, java.util.function.LongFunction<PositionInfo> infoOf,
                                   java.util.function.LongUnaryOperator newPosition) throws SQLException {
        if (from >= to) {
            return;
        }
        withReader(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT position, text FROM chunks WHERE position >= ? AND position < ? AND text IS NOT NULL ORDER BY position")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                List<KeywordIndex.Entry> batch = new ArrayList<>(1024);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long p = rs.getLong(1);
                        PositionInfo info = infoOf.apply(p);
                        if (info == null) {
                            continue;
                        }
                        batch.add(new KeywordIndex.Entry(newPosition.applyAsLong(p), keywordText(info.doc().title(), config.textCipher().open(rs.getString(2))), info));
                        if (batch.size() == 1024) {
                            target.add(batch);
                            batch = new ArrayList<>(1024);
                        }
                    }
                }
                target.add(batch);
            }
            return null;
        });
    }

    private Path keywordDirectory(long gen) {
        return config.directory().resolve("keyword-g" + gen);
    }

    /** Keyword indexes of other generations are leftovers of a compaction (finished or interrupted). */
    private void removeKeywordIndexesExcept(Path keep) {
        try (java.util.stream.Stream<Path> entries = Files.list(config.directory())) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith("keyword-g") && !p.equals(keep)).toList()) {
                deleteRecursively(dir);
            }
        } catch (IOException e) {
            LOG.warnf("could not remove old keyword indexes in %s: %s", config.directory(), e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int flushIfFull(float[] flat, int n, int batch) {
        if (n < batch) {
            return n;
        }
        index.add(flat.clone(), n);
        return 0;
    }

    // ==== snapshots ============================================================================

    private void snapshotLocked() {
        snapshotLocked(false);
    }

    private void snapshotLocked(boolean commitKeyword) {
        commitKeywordLocked(commitKeyword);
        try {
            long seq = db.lastSeq();
            long size;
            rw.writeLock().lock(); // VectorIndex.save must not overlap searches
            try {
                size = index.index.size();
                if (size == 0 || (seq == snapshotSeq && generation == snapshotGeneration && size == snapshotSize)) {
                    return;
                }
                Path tmp = snapshotFile.resolveSibling(SNAPSHOT_FILE + ".tmp");
                Files.deleteIfExists(tmp);
                index.index.save(tmp);
            } finally {
                rw.writeLock().unlock();
            }
            Path tmp = snapshotFile.resolveSibling(SNAPSHOT_FILE + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(config.directory(), StandardOpenOption.READ)) {
                dir.force(true);
            }
            db.putMeta(StoreDatabase.META_SNAPSHOT_GENERATION, generation);
            db.putMeta(StoreDatabase.META_SNAPSHOT_SIZE, size);
            db.putMeta(StoreDatabase.META_SNAPSHOT_SEQ, seq);
            db.commit();
            snapshotSeq = seq;
            snapshotGeneration = generation;
            snapshotSize = size;
            LOG.debugf("snapshot written: %d positions, seq %d, generation %d", size, seq, generation);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot failed", e);
        } catch (SQLException e) {
            db.rollbackQuietly();
            throw new IllegalStateException("snapshot failed: " + e.getMessage(), e);
        }
    }

    /**
     * Under {@code writeMutex}: makes the keyword index durable up to the current position — at close, and
     * otherwise only once {@link #KEYWORD_COMMIT_POSITIONS} positions or {@link #KEYWORD_COMMIT_INTERVAL_MS}
     * have passed. A Lucene commit fsyncs every new segment file while writers wait; what is not committed
     * is replayed from SQLite at the next open (Lucene indexes tens of thousands of chunks a second), so
     * these bounds trade a little start-up time for write throughput.
     */
    private void commitKeywordLocked(boolean force) {
        KeywordIndex.Checkpoint now = new KeywordIndex.Checkpoint(generation, nextPosition);
        if (keyword == null || (now.equals(keywordCommitted) && !keywordDeletesSinceCommit)) {
            return;
        }
        boolean due = keywordCommitted == null || keywordCommitted.generation() != generation
                || nextPosition - keywordCommitted.nextPosition() >= KEYWORD_COMMIT_POSITIONS
                || System.currentTimeMillis() - keywordCommittedAtMs >= KEYWORD_COMMIT_INTERVAL_MS;
        if (!force && !due) {
            return;
        }
        keyword.commit(now);
        keywordCommitted = now;
        keywordCommittedAtMs = System.currentTimeMillis();
        keywordDeletesSinceCommit = false;
    }

    /** Stores written before the erasure bound existed hold dead rows of unknown age: count them from now. */
    private void recoverOldestDead(Map<String, String> meta) throws SQLException {
        String stored = meta.get(StoreDatabase.META_OLDEST_DEAD);
        if (stored != null) {
            oldestDeadAtMs = Long.parseLong(stored);
        } else if (nextPosition > live.cardinality()) {
            oldestDeadAtMs = System.currentTimeMillis();
            db.putMeta(StoreDatabase.META_OLDEST_DEAD, oldestDeadAtMs);
            db.commit();
        }
    }

    // ==== compaction ===========================================================================

    private void maybeScheduleCompaction() {
        if (closed || failure != null) {
            return;
        }
        boolean needed;
        rw.readLock().lock();
        try {
            long total = nextPosition;
            long liveCount = live.cardinality();
            long dead = total - liveCount;
            needed = (dead >= config.compactionMinDead() && dead > config.compactionDeadRatio() * total)
                    || erasureDue()
                    || (config.isAuto() && "Flat".equals(index.factoryString) && liveCount >= config.hnswThreshold());
        } finally {
            rw.readLock().unlock();
        }
        if (needed && compactionQueued.compareAndSet(false, true)) {
            try {
                compactor.execute(() -> {
                    compactionQueued.set(false);
                    if (closed || failure != null || !compactionLock.tryLock()) {
                        return;
                    }
                    try {
                        doCompact();
                    } catch (Exception e) {
                        LOG.warn("background compaction failed; the current index stays in use", e);
                    } finally {
                        compactionLock.unlock();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                compactionQueued.set(false);
            }
        }
    }

    /** Dead chunks reached half the erasure bound: compact now so that they are gone within it. */
    private boolean erasureDue() {
        long bound = config.erasurePurgeWithin().toMillis();
        long oldest = oldestDeadAtMs;
        return bound > 0 && oldest >= 0 && System.currentTimeMillis() - oldest >= bound / 2;
    }

    private void doCompact() throws SQLException {
        long capturedAtMs = System.currentTimeMillis();
        // 1. capture what is live now
        PositionBitmap captured;
        PositionInfo[] capturedInfo;
        long capturedNext;
        long newGeneration;
        rw.readLock().lock();
        try {
            capturedNext = nextPosition;
            newGeneration = generation + 1;
            captured = new PositionBitmap(capturedNext);
            capturedInfo = new PositionInfo[(int) capturedNext];
            for (int p = 0; p < capturedNext; p++) {
                if (live.get(p)) {
                    captured.set(p);
                    capturedInfo[p] = positions.get(p);
                }
            }
        } finally {
            rw.readLock().unlock();
        }
        String factory = config.factoryFor(captured.cardinality());
        BufferedIndex fresh = new BufferedIndex(indexFactory.create(factory, config.dimension()), factory, config.trainMinVectors());
        Path freshKeywordDir = keywordDirectory(newGeneration);
        KeywordIndex freshKeyword = null;
        boolean swapped = false;
        try {
            removeKeywordIndexesExcept(keywordDirectory(generation));
            freshKeyword = keywordFactory.open(freshKeywordDir);
            freshKeyword.clear();
            // 2. build off-lock: rows of a position never change until compaction, and only we compact
            List<Long> olds = new ArrayList<>((int) captured.cardinality());
            copyVectors(fresh, 0, capturedNext, captured::get, olds);
            long[] renumber = olds.stream().mapToLong(Long::longValue).toArray();
            addKeywordEntries(freshKeyword, 0, capturedNext, p -> capturedInfo[(int) p],
                    p -> java.util.Arrays.binarySearch(renumber, p));
            // the bulk of the fsync off-lock; recovery replays past this point if the swap is not made durable
            KeywordIndex.Checkpoint bulkCheckpoint = new KeywordIndex.Checkpoint(newGeneration, renumber.length);
            freshKeyword.commit(bulkCheckpoint);
            // 3. catch up with writes made meanwhile, then swap
            writeMutex.lock();
            try {
                ensureUsable();
                long end = nextPosition;
                int caughtUpFrom = olds.size();
                copyVectors(fresh, capturedNext, end, live::get, olds);
                long[] oldPositions = olds.stream().mapToLong(Long::longValue).toArray();
                // holding writeMutex, the position table cannot change: read without the read lock
                addKeywordEntries(freshKeyword, capturedNext, end, p -> positions.get((int) p),
                        p -> java.util.Arrays.binarySearch(oldPositions, caughtUpFrom, oldPositions.length, p));
                long[] newPositions = new long[oldPositions.length];
                for (int i = 0; i < newPositions.length; i++) {
                    newPositions[i] = i;
                }
                long[] diedMeanwhile = java.util.stream.IntStream.range(0, oldPositions.length)
                        .filter(i -> positions.get((int) oldPositions[i]) == null).asLongStream().toArray();
                freshKeyword.delete(diedMeanwhile);
                // what died after the capture stays until the next compaction; it died no earlier than the capture
                long oldestDeadAfter = diedMeanwhile.length > 0 ? capturedAtMs : -1;
                // No second commit under the mutex: a crash after the renumbering replays the catch-up from
                // SQLite on top of the bulk checkpoint (same generation, positions past it) and deletes the dead.
                rw.writeLock().lock();
                try {
                    try {
                        db.renumber(oldPositions, newPositions);
                        db.putMeta(StoreDatabase.META_GENERATION, newGeneration);
                        db.putMeta(StoreDatabase.META_NEXT_POSITION, oldPositions.length);
                        db.putMeta(StoreDatabase.META_INDEX_FACTORY, factory);
                        db.putMeta(StoreDatabase.META_OLDEST_DEAD, oldestDeadAfter);
                        db.commit();
                        oldestDeadAtMs = oldestDeadAfter;
                    } catch (SQLException e) {
                        db.rollbackQuietly();
                        throw e;
                    }
                    List<PositionInfo> renumbered = new ArrayList<>(oldPositions.length);
                    PositionBitmap newLive = new PositionBitmap(oldPositions.length);
                    for (int i = 0; i < oldPositions.length; i++) {
                        PositionInfo info = positions.get((int) oldPositions[i]); // null when it died meanwhile
                        renumbered.add(info);
                        if (info != null) {
                            newLive.set(i);
                        }
                    }
                    positions.clear();
                    positions.addAll(renumbered);
                    live = newLive;
                    BufferedIndex old = index;
                    index = fresh;
                    KeywordIndex oldKeyword = keyword;
                    keyword = freshKeyword;
                    keywordCommitted = bulkCheckpoint;
                    keywordCommittedAtMs = System.currentTimeMillis();
                    keywordDeletesSinceCommit = true;
                    swapped = true;
                    old.close();
                    oldKeyword.close();
                    nextPosition = oldPositions.length;
                    generation = newGeneration;
                } finally {
                    rw.writeLock().unlock();
                }
                removeKeywordIndexesExcept(freshKeywordDir);
                LOG.infof("compaction done: %d positions -> %d, index %s, generation %d", end, nextPosition, factory, generation);
                snapshotLocked();
            } finally {
                writeMutex.unlock();
            }
        } finally {
            if (!swapped) {
                fresh.close();
                if (freshKeyword != null) {
                    freshKeyword.close();
                }
                removeKeywordIndexesExcept(keywordDirectory(generation));
            }
        }
        if (swapped) {
            compactionListener.accept(newGeneration);
        }
    }

    private void copyVectors(BufferedIndex target, long from, long to, java.util.function.LongPredicate take, List<Long> olds) throws SQLException {
        if (from >= to) {
            return;
        }
        int dim = config.dimension();
        int batch = 4096;
        float[] flat = new float[batch * dim];
        int[] n = {0};
        withReader(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT position, vector FROM chunks WHERE position >= ? AND position < ? ORDER BY position")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long p = rs.getLong(1);
                        if (!take.test(p)) {
                            continue;
                        }
                        if (n[0] == batch) {
                            target.add(flat.clone(), n[0]);
                            n[0] = 0;
                        }
                        System.arraycopy(Vectors.normalized(Vectors.fromBlob(rs.getBytes(2))), 0, flat, n[0] * dim, dim);
                        n[0]++;
                        olds.add(p);
                    }
                }
            }
            return null;
        });
        target.add(java.util.Arrays.copyOf(flat, n[0] * dim), n[0]);
    }

    // ==== plumbing =============================================================================

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withReader(SqlWork<T> work) {
        Connection c = null;
        try {
            c = db.borrow();
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("store read failed: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                db.release(c);
            }
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private void startSchedules() {
        long ms = config.snapshotInterval().toMillis();
        if (ms > 0) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    if (!closed && failure == null) {
                        snapshot(false);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("scheduled snapshot failed", e);
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
        long bound = config.erasurePurgeWithin().toMillis();
        if (bound > 0) {
            long every = Math.max(1_000, Math.min(bound / 10, 600_000));
            scheduler.scheduleWithFixedDelay(this::maybeScheduleCompaction, every, every, TimeUnit.MILLISECONDS);
        }
        maybeScheduleCompaction();
    }

    private void closeResources() {
        scheduler.shutdownNow();
        compactor.shutdownNow();
        if (index != null) {
            index.close();
        }
        if (keyword != null) {
            keyword.close();
        }
        db.close();
        directoryLock.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "DurableVectorStore[" + config.directory() + ", dim " + config.dimension() + "]";
    }
}
