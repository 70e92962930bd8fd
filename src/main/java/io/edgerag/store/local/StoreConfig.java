package io.edgerag.store.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DurableVectorStore}.
 *
 * @param directory            where {@code store.db} (SQLite) and {@code index.faiss} (snapshot) live
 * @param dimension            vector dimension, fixed for the life of the store
 * @param indexFactory         FAISS factory string, or {@link #AUTO}: {@code Flat} below
 *                             {@code hnswThreshold} live vectors, {@code HNSW32} above (decided when an
 *                             index is created: at first start, rebuild and compaction)
 * @param hnswThreshold        live-vector count from which {@link #AUTO} picks HNSW
 * @param compactionDeadRatio  compact in the background when dead/total positions exceeds this
 * @param compactionMinDead    ... and at least this many positions are dead
 * @param snapshotInterval     how often a changed index is snapshotted (zero: only on close/compaction)
 * @param trainMinVectors      an index that needs training (IVF, PQ) is trained once this many vectors
 *                             are stored; until then searches are exact over the buffered vectors
 * @param tuning               efSearch / nprobe passed to every search
 * @param rerankOversample     candidates fetched per requested hit; every candidate is re-scored with
 *                             the exact cosine from the stored vector (matters for PQ codes)
 * @param exactSearchThreshold a filtered search that allows at most this many positions is answered
 *                             by an exact scan instead of the ANN index (HNSW recall collapses under
 *                             very selective filters)
 * @param nodeId               this node's id, the second half of every version it writes
 * @param outboxEnabled        append every local write to the outbox (hybrid mode: something relays it)
 * @param outboxMaxBytes       refuse local writes once the unsent outbox holds this many payload bytes
 *                             (the broker has been away for long); zero = unbounded
 * @param textCipher           how chunk text is written to SQLite ({@link TextCipher#NONE}: as is)
 * @param erasurePurgeWithin   bound on how long the chunks of a deleted or replaced version (text and
 *                             vector) stay on disk and in the index: compaction runs once the oldest of
 *                             them is half this old; zero = no bound (only the dead-ratio trigger)
 */
public record StoreConfig(
        Path directory,
        int dimension,
        String indexFactory,
        int hnswThreshold,
        double compactionDeadRatio,
        int compactionMinDead,
        Duration snapshotInterval,
        int trainMinVectors,
        VectorIndex.SearchTuning tuning,
        int rerankOversample,
        int exactSearchThreshold,
        String nodeId,
        boolean outboxEnabled,
        long outboxMaxBytes,
        TextCipher textCipher,
        Duration erasurePurgeWithin) {

    public static final String AUTO = "auto";

    public StoreConfig {
        Objects.requireNonNull(directory, "directory");
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive");
        }
        indexFactory = indexFactory == null || indexFactory.isBlank() ? AUTO : indexFactory.trim();
        snapshotInterval = snapshotInterval == null ? Duration.ZERO : snapshotInterval;
        tuning = tuning == null ? VectorIndex.SearchTuning.DEFAULT : tuning;
        textCipher = textCipher == null ? TextCipher.NONE : textCipher;
        rerankOversample = Math.max(1, rerankOversample);
        nodeId = nodeId == null ? Version.UNKNOWN_NODE : nodeId;
        erasurePurgeWithin = erasurePurgeWithin == null || erasurePurgeWithin.isNegative() ? Duration.ZERO : erasurePurgeWithin;
    }

    public static Builder builder(Path directory, int dimension) {
        return new Builder(directory, dimension);
    }

    /** The factory string for a new index holding {@code liveVectors}. */
    public String factoryFor(long liveVectors) {
        if (!AUTO.equalsIgnoreCase(indexFactory)) {
            return indexFactory;
        }
        return liveVectors >= hnswThreshold ? "HNSW32" : "Flat";
    }

    public boolean isAuto() {
        return AUTO.equalsIgnoreCase(indexFactory);
    }

    public Builder toBuilder() {
        return new Builder(directory, dimension).indexFactory(indexFactory).hnswThreshold(hnswThreshold)
                .compactionDeadRatio(compactionDeadRatio).compactionMinDead(compactionMinDead)
                .snapshotInterval(snapshotInterval).trainMinVectors(trainMinVectors).tuning(tuning)
                .rerankOversample(rerankOversample).exactSearchThreshold(exactSearchThreshold)
                .nodeId(nodeId).outbox(outboxEnabled, outboxMaxBytes).textCipher(textCipher)
                .erasurePurgeWithin(erasurePurgeWithin);
    }

    public static final class Builder {
        private final Path directory;
        private final int dimension;
        private String indexFactory = AUTO;
        private int hnswThreshold = 20_000;
        private double compactionDeadRatio = 0.3;
        private int compactionMinDead = 1_000;
        private Duration snapshotInterval = Duration.ofMinutes(5);
        private int trainMinVectors = 10_000;
        private VectorIndex.SearchTuning tuning = VectorIndex.SearchTuning.DEFAULT;
        private int rerankOversample = 0;
        private int exactSearchThreshold = 1_024;
        private String nodeId = "local";
        private boolean outboxEnabled;
        private long outboxMaxBytes;
        private TextCipher textCipher = TextCipher.NONE;
        private Duration erasurePurgeWithin = Duration.ZERO;

        private Builder(Path directory, int dimension) {
            this.directory = directory;
            this.dimension = dimension;
        }

        public Builder indexFactory(String v) { indexFactory = v; return this; }
        public Builder hnswThreshold(int v) { hnswThreshold = v; return this; }
        public Builder compactionDeadRatio(double v) { compactionDeadRatio = v; return this; }
        public Builder compactionMinDead(int v) { compactionMinDead = v; return this; }
        public Builder snapshotInterval(Duration v) { snapshotInterval = v; return this; }
        public Builder trainMinVectors(int v) { trainMinVectors = v; return this; }
        public Builder tuning(VectorIndex.SearchTuning v) { tuning = v; return this; }
        /** Zero picks 8 for factory strings with PQ/SQ codes and 1 otherwise. */
        public Builder rerankOversample(int v) { rerankOversample = v; return this; }
        public Builder exactSearchThreshold(int v) { exactSearchThreshold = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder outbox(boolean enabled, long maxBytes) { outboxEnabled = enabled; outboxMaxBytes = maxBytes; return this; }
        /** How chunk text is written to SQLite: {@link TextCipher#NONE} (default) or AES-GCM. */
        public Builder textCipher(TextCipher v) { textCipher = v; return this; }

        public Builder erasurePurgeWithin(Duration v) { erasurePurgeWithin = v; return this; }

        public StoreConfig build() {
            int oversample = rerankOversample > 0 ? rerankOversample
                    : (indexFactory != null && (indexFactory.contains("PQ") || indexFactory.contains("SQ")) ? 8 : 1);
            return new StoreConfig(directory, dimension, indexFactory, hnswThreshold, compactionDeadRatio,
                    compactionMinDead, snapshotInterval, trainMinVectors, tuning, oversample, exactSearchThreshold,
                    nodeId, outboxEnabled, outboxMaxBytes, textCipher, erasurePurgeWithin);
        }
    }
}
