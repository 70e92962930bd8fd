package io.edgerag.backup;

import io.edgerag.backup.s3.S3BackupBucket;
import io.edgerag.backup.s3.S3Clients;
import io.edgerag.backup.s3.S3Location;
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
import java.util.Optional;
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

    private final LocalStore store;
    private final BackupConfig config;
    private final String node;
    private final EmbeddingModels models;
    private final Optional<S3BackupBucket> bucket;
    private ScheduledExecutorService schedule;

    public Backups(LocalStore store, BackupConfig config, NodeIdentity node, EmbeddingModels models) {
        this.store = store;
        this.config = config;
        this.node = node.id();
        this.models = models;
        this.bucket = config.s3().bucket().map(name -> new S3BackupBucket(S3Clients.create(config.s3()),
                new S3Location(name, config.s3().prefix())));
    }

    void start(@Observes StartupEvent event) {
        config.every().ifPresent(every -> {
            schedule = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgerag-backup"));
            schedule.scheduleWithFixedDelay(this::scheduled, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("Backups every %s into %s%s (keeping %d)", every, Path.of(config.dir()).toAbsolutePath(),
                    bucket.map(b -> " and " + b.location()).orElse(""), config.keep());
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
        bucket.ifPresent(S3BackupBucket::close);
    }

    /** What the schedule runs; package-private so that a test can run one without waiting for it. */
    void scheduled() {
        try {
            create();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Scheduled backup failed");
        }
    }

    /**
     * Takes a backup now (blocking: disk, network) and uploads it when a bucket is configured. Backups are
     * serialised; writes to the store go on meanwhile.
     *
     * @throws BackupUploadException the backup is written locally but its upload failed
     */
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
        bucket.ifPresent(b -> upload(b, dir, manifest));
        return manifest;
    }

    private void upload(S3BackupBucket bucket, Path dir, BackupManifest manifest) {
        try {
            bucket.upload(dir, manifest);
            List<String> pruned = bucket.prune(config.keep());
            LOG.infof("Backup %s uploaded to %s%s", manifest.name(), bucket.location(),
                    pruned.isEmpty() ? "" : "; older ones deleted there: " + pruned);
        } catch (RuntimeException e) {
            throw new BackupUploadException("backup " + manifest.name() + " is written in " + dir.toAbsolutePath()
                    + " but its upload to " + bucket.location() + " failed: " + e.getMessage(), e);
        }
    }

    /** The backups in the configured bucket, newest first; empty when none is configured. */
    public Optional<List<BackupManifest>> listInBucket() {
        return bucket.map(S3BackupBucket::list);
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

    /**
     * Restores from a backup directory or from {@code s3://bucket/prefix/name}: the latter is downloaded next to
     * {@code dataDir} first (with the client settings of {@code s3}, its bucket and prefix taken from the address),
     * then checked and restored like a directory, and the download is deleted.
     */
    public static BackupManifest restore(String source, Path dataDir, BackupConfig.S3 s3) {
        if (!S3Location.isUri(source)) {
            return restore(Path.of(source), dataDir);
        }
        S3Location.Backup backup = S3Location.parseBackupUri(source);
        Path download = null;
        try (S3BackupBucket bucket = new S3BackupBucket(S3Clients.create(s3), backup.location())) {
            Path parent = dataDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            download = Files.createTempDirectory(parent, "restore-download-");
            bucket.download(backup.name(), download);
            return restore(download, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("restore of " + source + " into " + dataDir + " failed", e);
        } finally {
            if (download != null) {
                deleteTree(download);
            }
        }
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
            Files.write(file, manifest.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BackupManifest read(Path file) {
        try {
            return BackupManifest.fromJson(Files.newInputStream(file), file.toString());
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
            LOG.warnf("Could not delete %s: %s", dir, e.getMessage());
        }
    }
}
