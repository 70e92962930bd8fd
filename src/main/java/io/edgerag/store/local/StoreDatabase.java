package io.edgerag.store.local;

import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite side of the store: schema, the write transaction of a batch, and reads. WAL journal
 * with {@code synchronous=FULL}: a commit is on disk when {@code commit()} returns. One writer
 * connection (the caller serialises writes) and a pool of reader connections (WAL lets readers run
 * beside the writer).
 *
 * <p>Tables: {@code documents} (one row per docId, live or tombstone), {@code chunks} (one row per
 * index position, dead rows kept until compaction so that positions stay dense and replayable),
 * {@code change_log} (append-only, one row per document change), {@code outbox} (local changes not yet
 * published; a row leaves it when the broker has acknowledged it), {@code chunk_vectors_shadow} (the other
 * model's vector per position while an embedding migration runs) and {@code meta}.
 */
final class StoreDatabase implements AutoCloseable {

    static final String META_DIMENSION = "dimension";
    static final String META_INDEX_FACTORY = "index_factory";
    static final String META_GENERATION = "generation";
    static final String META_NEXT_POSITION = "next_position";
    static final String META_LAST_VERSION = "last_version";
    static final String META_SNAPSHOT_GENERATION = "snapshot_generation";
    static final String META_SNAPSHOT_SIZE = "snapshot_size";
    static final String META_SNAPSHOT_SEQ = "snapshot_seq";
    static final String META_SCHEMA = "schema";
    static final String META_OUTBOX_SEEDED = "outbox_seeded";
    /** A known text sealed with the store's encryption key: proves at start that the configured key is that key. */
    static final String META_TEXT_KEY_CHECK = "text_key_check";
    /** When the oldest chunk row still on disk died (epoch ms); -1 when none is dead. */
    static final String META_OLDEST_DEAD = "oldest_dead_at";
    /** The model the vectors in {@code chunks} were made with; absent in stores no model was ever declared for. */
    static final String META_ACTIVE_MODEL = "active_embedding_model";
    /** The model of the vectors in {@code chunk_vectors_shadow}; absent when no migration is under way. */
    static final String META_SHADOW_MODEL = "shadow_embedding_model";
    /** {@link EmbeddingMigrationPhase} name of the migration under way. */
    static final String META_MIGRATION_PHASE = "migration_phase";
    static final String META_MIGRATION_STARTED = "migration_started_at";

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS documents (
          doc_id TEXT PRIMARY KEY, title TEXT, source TEXT, collection TEXT, metadata TEXT,
          content_hash TEXT, embedding_model TEXT, schema_version INTEGER NOT NULL DEFAULT 0,
          version INTEGER NOT NULL, updated_at INTEGER NOT NULL, chunk_count INTEGER NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0, tombstone_version INTEGER, version_node TEXT NOT NULL DEFAULT '')""",
        """
        CREATE TABLE IF NOT EXISTS chunks (
          position INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL, doc_id TEXT NOT NULL, ord INTEGER NOT NULL,
          text TEXT, metadata TEXT, vector BLOB NOT NULL, live INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS chunks_live_doc ON chunks(doc_id) WHERE live = 1",
        """
        CREATE TABLE IF NOT EXISTS change_log (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, type TEXT NOT NULL,
          version INTEGER NOT NULL, at INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, type TEXT NOT NULL,
          hlc INTEGER NOT NULL, node TEXT NOT NULL, at INTEGER NOT NULL, bytes INTEGER NOT NULL)""",
        // the other model's vector of a position during an embedding migration (the target while building,
        // the previous model after cut-over until finalize)
        "CREATE TABLE IF NOT EXISTS chunk_vectors_shadow (position INTEGER PRIMARY KEY, vector BLOB NOT NULL)",
    };

    private final String url;
    private final SQLiteConfig sqliteConfig;
    private final Connection writer;
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private final List<PreparedStatement> realStatements = new ArrayList<>();
    private final ConcurrentLinkedQueue<Connection> readers = new ConcurrentLinkedQueue<>();
    private final List<Connection> allReaders = new ArrayList<>();
    private final TextCipher text;

    StoreDatabase(Path file, TextCipher text) throws SQLException {
        this.text = text;
        url = "jdbc:sqlite:" + file.toAbsolutePath();
        sqliteConfig = new SQLiteConfig();
        sqliteConfig.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqliteConfig.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // deleted rows are overwritten with zeros, not left in free pages: compaction's purge is a real erasure
        sqliteConfig.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        sqliteConfig.setBusyTimeout(30_000);
        writer = DriverManager.getConnection(url, sqliteConfig.toProperties());
        try (Statement st = writer.createStatement()) {
            for (String ddl : SCHEMA) {
                st.execute(ddl);
            }
        }
        addColumnIfMissing("documents", "version_node", "TEXT NOT NULL DEFAULT ''");
        addColumnIfMissing("change_log", "node", "TEXT NOT NULL DEFAULT ''");
        // W3C trace context of the write that queued the row (null: not traced, or queued before this column)
        addColumnIfMissing("outbox", "traceparent", "TEXT");
        writer.setAutoCommit(false);
    }

    /** Stores created before a column existed get it here (SQLite has no ADD COLUMN IF NOT EXISTS). */
    private void addColumnIfMissing(String table, String column, String type) throws SQLException {
        try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return;
                }
            }
        }
        try (Statement st = writer.createStatement()) {
            st.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
        }
    }

    /**
     * The writer's statement for {@code sql}, prepared once: SQLite spends as long preparing the small
     * statements of the write path as running them. Callers keep their try-with-resources; the
     * returned handle ignores {@code close()} (the statements close with the database). Only the one
     * writer thread (under the store's write mutex) uses them.
     */
    private PreparedStatement reused(String sql) throws SQLException {
        PreparedStatement cached = writerStatements.get(sql);
        if (cached == null) {
            PreparedStatement real = writer.prepareStatement(sql);
            cached = (PreparedStatement) java.lang.reflect.Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            real.clearParameters();
                            return null;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            writerStatements.put(sql, cached);
            realStatements.add(real);
        }
        return cached;
    }

    Connection writer() {
        return writer;
    }

    // ---- meta -------------------------------------------------------------------------------

    Map<String, String> readMeta() throws SQLException {
        Map<String, String> meta = new HashMap<>();
        try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                meta.put(rs.getString(1), rs.getString(2));
            }
        }
        writer.commit();
        return meta;
    }

    void putMeta(String key, Object value) throws SQLException {
        try (PreparedStatement ps = reused(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, String.valueOf(value));
            ps.executeUpdate();
        }
    }

    void commit() throws SQLException {
        writer.commit();
    }

    void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the connection is unusable; the next write fails loudly
        }
    }

    // ---- writes (inside the caller's transaction) -----------------------------------------------

    /** Positions of the live chunks of {@code docId}, and its collection; null when no live document. */
    LiveDoc liveDocument(String docId) throws SQLException {
        String collection;
        try (PreparedStatement ps = reused(
                "SELECT collection FROM documents WHERE doc_id = ? AND deleted = 0")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                collection = rs.getString(1);
            }
        }
        List<Long> positions = new ArrayList<>();
        try (PreparedStatement ps = reused(
                "SELECT position FROM chunks WHERE doc_id = ? AND live = 1")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getLong(1));
                }
            }
        }
        return new LiveDoc(collection, positions);
    }

    record LiveDoc(String collection, List<Long> positions) {
    }

    /** Whether any chunk row of {@code docId} (live or dead) is still on disk. */
    boolean holdsChunksOf(Connection c, String docId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM chunks WHERE doc_id = ? LIMIT 1")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    void killChunks(String docId) throws SQLException {
        try (PreparedStatement ps = reused("UPDATE chunks SET live = 0 WHERE doc_id = ? AND live = 1")) {
            ps.setString(1, docId);
            ps.executeUpdate();
        }
    }

    void upsertDocument(DocumentRecord d, Version version, Instant at) throws SQLException {
        try (PreparedStatement ps = reused("""
                INSERT INTO documents(doc_id, title, source, collection, metadata, content_hash, embedding_model,
                  schema_version, version, updated_at, chunk_count, deleted, tombstone_version, version_node)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)
                ON CONFLICT(doc_id) DO UPDATE SET title = excluded.title, source = excluded.source,
                  collection = excluded.collection, metadata = excluded.metadata,
                  content_hash = excluded.content_hash, embedding_model = excluded.embedding_model,
                  schema_version = excluded.schema_version, version = excluded.version,
                  updated_at = excluded.updated_at, chunk_count = excluded.chunk_count,
                  deleted = 0, tombstone_version = NULL, version_node = excluded.version_node""")) {
            ps.setString(1, d.docId());
            ps.setString(2, d.title());
            ps.setString(3, d.source());
            ps.setString(4, d.collection());
            ps.setString(5, MetadataCodec.writeStrings(d.metadata()));
            ps.setString(6, d.contentHash());
            ps.setString(7, d.embeddingModel());
            ps.setInt(8, d.schemaVersion());
            ps.setLong(9, version.hlc());
            ps.setLong(10, at.toEpochMilli());
            ps.setInt(11, d.chunks().size());
            ps.setString(12, version.nodeId());
            ps.executeUpdate();
        }
    }

    void insertChunk(long position, String docId, int ord, ChunkRecord c, boolean typedMetadata) throws SQLException {
        try (PreparedStatement ps = reused(
                "INSERT INTO chunks(position, chunk_id, doc_id, ord, text, metadata, vector, live) VALUES (?, ?, ?, ?, ?, ?, ?, 1)")) {
            ps.setLong(1, position);
            ps.setString(2, c.chunkId());
            ps.setString(3, docId);
            ps.setInt(4, ord);
            ps.setString(5, text.seal(c.text()));
            ps.setString(6, typedMetadata ? MetadataCodec.writeTyped(c.metadata()) : null);
            ps.setBytes(7, Vectors.toBlob(c.vector()));
            ps.executeUpdate();
        }
    }

    /** Marks {@code docId} deleted at {@code version}; inserts the tombstone when the document was never seen. */
    void tombstone(String docId, Version version, Instant at) throws SQLException {
        try (PreparedStatement ps = reused("""
                INSERT INTO documents(doc_id, version, version_node, updated_at, chunk_count, deleted, tombstone_version)
                VALUES (?, ?, ?, ?, 0, 1, ?)
                ON CONFLICT(doc_id) DO UPDATE SET deleted = 1, tombstone_version = excluded.version,
                  version = excluded.version, version_node = excluded.version_node,
                  updated_at = excluded.updated_at, chunk_count = 0""")) {
            ps.setString(1, docId);
            ps.setLong(2, version.hlc());
            ps.setString(3, version.nodeId());
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, version.hlc());
            ps.executeUpdate();
        }
    }

    /** Version, tombstone flag and content hash of {@code docId} (live or deleted); null when never seen. */
    ConflictRule.DocState docState(String docId) throws SQLException {
        try (PreparedStatement ps = reused(
                "SELECT version, version_node, deleted, content_hash FROM documents WHERE doc_id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new ConflictRule.DocState(new Version(rs.getLong(1), rs.getString(2)), rs.getInt(3) == 1, rs.getString(4));
            }
        }
    }

    // ---- outbox ---------------------------------------------------------------------------------

    void appendOutbox(String docId, StoreRecords.ChangeType type, Version version, Instant at, long bytes, String traceparent)
            throws SQLException {
        try (PreparedStatement ps = reused(
                "INSERT INTO outbox(doc_id, type, hlc, node, at, bytes, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, docId);
            ps.setString(2, type.name());
            ps.setLong(3, version.hlc());
            ps.setString(4, version.nodeId());
            ps.setLong(5, at.toEpochMilli());
            ps.setLong(6, bytes);
            ps.setString(7, traceparent);
            ps.executeUpdate();
        }
    }

    /** Queues every document (live and tombstones) once, oldest version first: a store switching to hybrid mode. */
    int seedOutbox(Instant at) throws SQLException {
        try (Statement st = writer.createStatement()) {
            return st.executeUpdate("INSERT INTO outbox(doc_id, type, hlc, node, at, bytes) "
                    + "SELECT doc_id, CASE deleted WHEN 1 THEN 'DELETE' ELSE 'UPSERT' END, version, version_node, "
                    + at.toEpochMilli() + ", 0 FROM documents ORDER BY version");
        }
    }

    List<StoreRecords.OutboxEntry> outbox(int limit) throws SQLException {
        List<StoreRecords.OutboxEntry> out = new ArrayList<>();
        try (PreparedStatement ps = reused(
                "SELECT seq, doc_id, type, hlc, node, at, traceparent FROM outbox ORDER BY seq LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoreRecords.OutboxEntry(rs.getLong(1), rs.getString(2),
                            StoreRecords.ChangeType.valueOf(rs.getString(3)), new Version(rs.getLong(4), rs.getString(5)),
                            Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
                }
            }
        }
        return out;
    }

    /** Deletes the entries; returns {rows, payload bytes} removed, so the totals never need a full scan. */
    long[] removeFromOutbox(List<Long> seqs) throws SQLException {
        long rows = 0;
        long bytes = 0;
        try (PreparedStatement size = reused("SELECT bytes FROM outbox WHERE seq = ?");
             PreparedStatement delete = reused("DELETE FROM outbox WHERE seq = ?")) {
            for (long seq : seqs) {
                size.setLong(1, seq);
                try (ResultSet rs = size.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    bytes += rs.getLong(1);
                }
                delete.setLong(1, seq);
                delete.executeUpdate();
                rows++;
            }
        }
        return new long[] {rows, bytes};
    }

    /** {count, bytes} of the outbox. */
    long[] outboxTotals() throws SQLException {
        try (Statement st = writer.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM outbox")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * The document as of {@code version}, or null when it has moved on since (a later write, local or
     * remote, supersedes this one and is published by whoever made it).
     */
    StoreRecords.DocumentChange documentChange(String docId, Version version) throws SQLException {
        StoreRecords.DocumentChange head;
        try (PreparedStatement ps = reused("""
                SELECT title, source, collection, metadata, content_hash, embedding_model, schema_version, deleted
                FROM documents WHERE doc_id = ? AND version = ? AND version_node = ?""")) {
            ps.setString(1, docId);
            ps.setLong(2, version.hlc());
            ps.setString(3, version.nodeId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (rs.getInt(8) == 1) {
                    return new StoreRecords.DocumentChange(StoreRecords.ChangeType.DELETE, docId, version,
                            null, null, null, Map.of(), null, null, 0, List.of());
                }
                head = new StoreRecords.DocumentChange(StoreRecords.ChangeType.UPSERT, docId, version, rs.getString(1),
                        rs.getString(2), rs.getString(3), MetadataCodec.readStrings(rs.getString(4)), rs.getString(5),
                        rs.getString(6), rs.getInt(7), new ArrayList<>());
            }
        }
        try (PreparedStatement ps = reused(
                "SELECT chunk_id, text, metadata, vector FROM chunks WHERE doc_id = ? AND live = 1 ORDER BY ord")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String typed = rs.getString(3);
                    head.chunks().add(new ChunkRecord(rs.getString(1), text.open(rs.getString(2)),
                            typed == null ? null : MetadataCodec.readTyped(typed), Vectors.fromBlob(rs.getBytes(4))));
                }
            }
        }
        return head;
    }

    long appendChange(String docId, String type, Version version, Instant at) throws SQLException {
        try (PreparedStatement ps = reused(
                "INSERT INTO change_log(doc_id, type, version, at, node) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, docId);
            ps.setString(2, type);
            ps.setLong(3, version.hlc());
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, version.nodeId());
            ps.executeUpdate();
        }
        return lastSeq(writer);
    }

    /** Every change applied to {@code docId} on this node, oldest first. */
    List<StoreRecords.AppliedChange> history(Connection c, String docId) throws SQLException {
        List<StoreRecords.AppliedChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, type, version, node, at FROM change_log WHERE doc_id = ? ORDER BY seq")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoreRecords.AppliedChange(rs.getLong(1), StoreRecords.ChangeType.valueOf(rs.getString(2)),
                            new Version(rs.getLong(3), rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
        }
        return out;
    }

    long lastSeq() throws SQLException {
        Connection c = borrow();
        try {
            return lastSeq(c);
        } finally {
            release(c);
        }
    }

    private static long lastSeq(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM change_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Compaction: renumbers the kept positions to {@code newPositions} (dense), purges every other
     * chunk row (dead text and vectors leave the disk here) and records the new generation, all in
     * one transaction. Caller commits.
     */
    void renumber(long[] oldPositions, long[] newPositions) throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS remap (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)");
            st.execute("DELETE FROM remap");
        }
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO remap(old, new) VALUES (?, ?)")) {
            for (int i = 0; i < oldPositions.length; i++) {
                ps.setLong(1, oldPositions[i]);
                ps.setLong(2, newPositions[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Statement st = writer.createStatement()) {
            st.executeUpdate("DELETE FROM chunks WHERE position NOT IN (SELECT old FROM remap)");
            st.executeUpdate("UPDATE chunks SET position = -1 - (SELECT new FROM remap WHERE remap.old = chunks.position)");
            st.executeUpdate("UPDATE chunks SET position = -1 - position");
            st.executeUpdate("DELETE FROM chunk_vectors_shadow WHERE position NOT IN (SELECT old FROM remap)");
            st.executeUpdate("UPDATE chunk_vectors_shadow SET position = -1 - (SELECT new FROM remap WHERE remap.old = chunk_vectors_shadow.position)");
            st.executeUpdate("UPDATE chunk_vectors_shadow SET position = -1 - position");
            st.execute("DELETE FROM remap");
        }
    }

    // ---- embedding migration ------------------------------------------------------------------

    void insertShadowVector(long position, float[] vector) throws SQLException {
        try (PreparedStatement ps = reused("INSERT OR REPLACE INTO chunk_vectors_shadow(position, vector) VALUES (?, ?)")) {
            ps.setLong(1, position);
            ps.setBytes(2, Vectors.toBlob(vector));
            ps.executeUpdate();
        }
    }

    /** Cut-over and rollback: the vectors of {@code chunks} and of the shadow table trade places. Caller commits. */
    void swapShadowVectors() throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS swap_vectors (position INTEGER PRIMARY KEY, vector BLOB NOT NULL)");
            st.execute("DELETE FROM swap_vectors");
            st.executeUpdate("""
                    INSERT INTO swap_vectors(position, vector)
                    SELECT c.position, c.vector FROM chunks c JOIN chunk_vectors_shadow s ON s.position = c.position""");
            st.executeUpdate("""
                    UPDATE chunks SET vector = (SELECT s.vector FROM chunk_vectors_shadow s WHERE s.position = chunks.position)
                    WHERE position IN (SELECT position FROM chunk_vectors_shadow)""");
            st.executeUpdate("DELETE FROM chunk_vectors_shadow");
            st.executeUpdate("INSERT INTO chunk_vectors_shadow(position, vector) SELECT position, vector FROM swap_vectors");
            st.execute("DELETE FROM swap_vectors");
        }
    }

    /** Every live document now carries {@code model}'s vectors. Caller commits. */
    void relabelEmbeddingModel(String model) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement(
                "UPDATE documents SET embedding_model = ? WHERE deleted = 0")) {
            ps.setString(1, model);
            ps.executeUpdate();
        }
    }

    void dropShadowVectors() throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.executeUpdate("DELETE FROM chunk_vectors_shadow");
        }
        for (String key : List.of(META_SHADOW_MODEL, META_MIGRATION_PHASE, META_MIGRATION_STARTED)) {
            try (PreparedStatement ps = writer.prepareStatement("DELETE FROM meta WHERE key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
        }
    }

    /** Up to {@code limit} live positions that have no shadow vector yet, in position order, with what to embed. */
    List<PendingPassage> shadowBacklog(Connection c, int limit) throws SQLException {
        List<PendingPassage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.position, d.title, c.text FROM chunks c JOIN documents d ON d.doc_id = c.doc_id
                LEFT JOIN chunk_vectors_shadow s ON s.position = c.position
                WHERE c.live = 1 AND s.position IS NULL ORDER BY c.position LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PendingPassage(rs.getLong(1), rs.getString(2), text.open(rs.getString(3))));
                }
            }
        }
        return out;
    }

    /** Live positions with a shadow vector. */
    long shadowVectorCount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM chunk_vectors_shadow s JOIN chunks c ON c.position = s.position WHERE c.live = 1""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The shadow vector of positions {@code from..to-1}, null where a position has none. */
    Map<Long, float[]> shadowVectors(Connection c, long from, long to) throws SQLException {
        Map<Long, float[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT position, vector FROM chunk_vectors_shadow WHERE position >= ? AND position < ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), Vectors.fromBlob(rs.getBytes(2)));
                }
            }
        }
        return out;
    }

    // ---- reads ------------------------------------------------------------------------------

    Connection borrow() throws SQLException {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        c = DriverManager.getConnection(url, sqliteConfig.toProperties());
        synchronized (allReaders) {
            allReaders.add(c);
        }
        return c;
    }

    void release(Connection c) {
        readers.offer(c);
    }

    Optional<StoredDocument> document(Connection c, String docId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT doc_id, title, source, collection, metadata, content_hash, embedding_model, schema_version,
                       chunk_count, version, updated_at, version_node FROM documents WHERE doc_id = ? AND deleted = 0""")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredDocument(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), MetadataCodec.readStrings(rs.getString(5)), rs.getString(6),
                        rs.getString(7), rs.getInt(8), rs.getInt(9), new Version(rs.getLong(10), rs.getString(12)),
                        Instant.ofEpochMilli(rs.getLong(11))));
            }
        }
    }

    /** The embedding model ids that live documents were embedded with. */
    java.util.Set<String> embeddingModels(Connection c) throws SQLException {
        java.util.Set<String> models = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT embedding_model FROM documents WHERE deleted = 0 AND embedding_model IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                models.add(rs.getString(1));
            }
        }
        return models;
    }

    /** Text, typed metadata (may be null) and vector of the rows at {@code positions}. */
    Map<Long, ChunkRow> chunkRows(Connection c, long[] positions) throws SQLException {
        Map<Long, ChunkRow> out = new HashMap<>();
        final int batch = 500;
        for (int from = 0; from < positions.length; from += batch) {
            int to = Math.min(positions.length, from + batch);
            StringBuilder sql = new StringBuilder("SELECT position, text, metadata, vector FROM chunks WHERE position IN (");
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "?" : ",?");
            }
            sql.append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = from; i < to; i++) {
                    ps.setLong(i - from + 1, positions[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), new ChunkRow(text.open(rs.getString(2)), rs.getString(3), Vectors.fromBlob(rs.getBytes(4))));
                    }
                }
            }
        }
        return out;
    }

    record ChunkRow(String text, String typedMetadata, float[] vector) {
    }

    /**
     * A consistent copy of the whole database in {@code target} (which must not exist): {@code VACUUM INTO}
     * reads inside one read transaction, so the copy is the state of one instant, and in WAL mode the
     * writer goes on meanwhile.
     */
    void copyTo(Path target) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, sqliteConfig.toProperties());
             PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, target.toAbsolutePath().toString());
            ps.execute();
        }
    }

    @Override
    public void close() {
        synchronized (allReaders) {
            for (Connection c : allReaders) {
                closeQuietly(c);
            }
            allReaders.clear();
        }
        readers.clear();
        for (PreparedStatement ps : realStatements) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        closeQuietly(writer);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
