package io.edgerag.store.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code edgerag.store.*}: how the local FAISS store indexes, snapshots and compacts. */
@ConfigMapping(prefix = "edgerag.store")
public interface LocalStoreSettings {

    /**
     * FAISS factory string ({@code Flat}, {@code HNSW32}, {@code IVF1024,PQ48}, ...) or {@code auto}:
     * exact Flat below {@link #hnswThreshold()} live vectors, HNSW32 above.
     */
    @WithDefault("auto")
    String indexFactory();

    /** Live vectors above which {@code auto} rebuilds the index as HNSW32 (at the next compaction). */
    @WithDefault("20000")
    int hnswThreshold();

    /** Compact when dead vectors exceed this share of all vectors (and {@link #compactionMinDead()}). */
    @WithDefault("0.3")
    double compactionDeadRatio();

    /** Do not compact for fewer dead vectors than this. */
    @WithDefault("1000")
    int compactionMinDead();

    /** How often the index is snapshotted to disk (also at shutdown and after compaction). */
    @WithDefault("5m")
    Duration snapshotInterval();

    /** IVF/PQ indexes train once this many vectors are stored; until then searches are exact. */
    @WithDefault("10000")
    int trainMinVectors();

    /** HNSW efSearch per query; absent = FAISS's default (16). Higher = better recall, slower. */
    OptionalInt efSearch();

    /** IVF nprobe per query; absent = FAISS's default (1). */
    OptionalInt nprobe();

    /**
     * Right to be forgotten: the longest a deleted (or replaced) chunk's text and vector stay on disk and
     * in the FAISS and Lucene indexes; compaction runs once the oldest of them is half this old, so they
     * are gone within it (as long as one compaction takes less than the other half). {@code 0}: no bound,
     * only {@code compaction-dead-ratio} decides. Reported by {@code GET /api/documents/{id}/erasure}.
     */
    @WithDefault("24h")
    Duration erasurePurgeWithin();

    /** A filter that allows at most this many chunks is answered by an exact scan instead of the index. */
    @WithDefault("1024")
    int exactSearchThreshold();

    /** Encryption at rest of passage text (README "Security -> Encryption at rest"). */
    Encryption encryption();

    interface Encryption {
        /**
         * A file holding a base64 AES key ({@code openssl rand -base64 32}; a mounted Kubernetes Secret).
         * Given: chunk text is written to SQLite sealed with AES-GCM, and a store written under another key
         * (or encrypted, when this is absent) refuses to start. Absent (default): text is stored as is.
         * The FAISS and Lucene index files are not covered: put the data dir on an encrypted disk (LUKS).
         */
        Optional<Path> keyFile();
    }
}
