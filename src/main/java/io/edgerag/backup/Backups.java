package io.edgerag.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgerag.embedding.EmbeddingModels;
import io.edgerag.store.local.LocalStore;
import io.edgerag.sync.NodeIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Consistent backups of this node, on demand and on a schedule, and their restore onto an empty node.
 *
 * <p>A backup is the store's durable state of one instant (the SQLite database: documents, texts,
 * vectors, versions, change log, outbox) plus a manifest. The FAISS and Lucene indexes are left out on
 * purpose: they are caches of that state, rebuilt when the restored store opens, so a backup can never
 * hold an index that disagrees with its data. The node id is left out too: the restored node takes one
 * of its own, joins sync as a new consumer group, reads the compacted change log from its start and
 * applies what it is missing (idempotently: versions it already has are skipped).
 */
@ApplicationScoped
public class Backups {

    private static final Logger LOG = Logger.getLogger(Backups.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    static final String MANIFEST = "manifest.json";
    static final String STORE_DIR = "store";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final LocalStore store;
    private final BackupConfig config;
    private final String node;
    private final EmbeddingModels models;
    private ScheduledExecutorService schedule;

    public Backups(LocalStore store, BackupConfig config, NodeIdentity node, EmbeddingModels models) {
        this.store = store;
        this.config = config;
        this.node = node.id();
        this.models = models;
    }

    void start(@Observes StartupEvent event) {
        config.every().ifPresent(every -> {
            schedule = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgerag-backup"));
            schedule.scheduleWithFixedDelay(this::scheduled, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("Backups every %s into %s (keeping %d)", every, Path.of(config.dir()).toAbsolutePath(), config.keep());
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    private void scheduled() {
        try {
            create();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Scheduled backup failed");
        }
    }

    /** Takes a backup now (blocking: disk). Backups are serialised; writes to the store go on meanwhile. */
    public synchronized BackupManifest create() {
        Instant now = Instant.now();
        String name = "edgerag-" + NAME.format(now);
        Path dir = Path.of(config.dir()).resolve(name);
        store.backupTo(dir.resolve(STORE_DIR));
        long chunks = store.chunkCount();
        BackupManifest manifest = new BackupManifest(name, now, node, chunks, models.servingId(), checksums(dir));
        write(dir.resolve(MANIFEST), manifest);
        prune();
        LOG.infof("Backup %s written (%d chunks)", dir.toAbsolutePath(), chunks);
        return manifest;
    }

    /** The backups present, newest first. */
    public List<BackupManifest> list() {
        Path root = Path.of(config.dir());
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(MANIFEST))).map(d -> read(d.resolve(MANIFEST)))
                    .sorted(Comparator.comparing(BackupManifest::createdAt).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() {
        List<BackupManifest> all = list();
        for (BackupManifest old : all.subList(Math.min(config.keep(), all.size()), all.size())) {
            deleteTree(Path.of(config.dir()).resolve(old.name()));
        }
    }

    /**
     * Restores {@code backup} into {@code dataDir} (the node's {@code edgerag.data-dir}), which must hold no
     * store yet; every file is checked against the manifest first. Run it with the node stopped
     * ({@code java -jar edgerag.jar restore <backup> <data-dir>}), then start the node.
     */
    public static BackupManifest restore(Path backup, Path dataDir) {
        BackupManifest manifest = read(backup.resolve(MANIFEST));
        Map<String, String> actual = checksums(backup);
        for (Map.Entry<String, String> f : manifest.files().entrySet()) {
            if (!f.getValue().equals(actual.get(f.getKey()))) {
                throw new IllegalStateException("backup " + backup + " is damaged: " + f.getKey()
                        + (actual.containsKey(f.getKey()) ? " does not match its checksum" : " is missing"));
            }
        }
        Path target = dataDir.resolve(STORE_DIR);
        try {
            if (Files.isDirectory(target)) {
                try (Stream<Path> existing = Files.list(target)) {
                    if (existing.findAny().isPresent()) {
                        throw new IllegalStateException(target.toAbsolutePath() + " already holds a store: restore "
                                + "only onto an empty node (move that directory away first)");
                    }
                }
            }
            Files.createDirectories(target);
            Path source = backup.resolve(STORE_DIR);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, target.resolve(f.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("restore of " + backup + " into " + dataDir + " failed", e);
        }
        return manifest;
    }

    private static Map<String, String> checksums(Path dir) {
        Path store = dir.resolve(STORE_DIR);
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toMap(
                    f -> STORE_DIR + "/" + f.getFileName(), Backups::sha256, (a, b) -> a, java.util.TreeMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, BackupManifest manifest) {
        try {
            JSON.writeValue(file.toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BackupManifest read(Path file) {
        try {
            return JSON.readValue(file.toFile(), BackupManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warnf("Could not delete old backup %s: %s", dir, e.getMessage());
        }
    }
}
