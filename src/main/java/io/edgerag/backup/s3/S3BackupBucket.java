package io.edgerag.backup.s3;

import io.edgerag.backup.BackupManifest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Backups in an S3-compatible bucket: the same layout as a backup directory ({@code manifest.json} beside
 * {@code store/...}) under {@code <prefix>/<name>/}. Only backups whose manifest is there count: it is
 * uploaded last and deleted first, so an upload or a deletion that broke off leaves nothing that is listed or
 * restorable.
 */
public final class S3BackupBucket implements AutoCloseable {

    private static final String MANIFEST = "manifest.json";

    private final S3Client s3;
    private final S3Location location;

    public S3BackupBucket(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    public S3Location location() {
        return location;
    }

    /** Uploads the files of the backup in {@code dir} named by its manifest, then the manifest. */
    public void upload(Path dir, BackupManifest manifest) {
        for (String file : manifest.files().keySet()) {
            s3.putObject(put -> put.bucket(location.bucket()).key(location.key(manifest.name(), file)),
                    RequestBody.fromFile(dir.resolve(file)));
        }
        s3.putObject(put -> put.bucket(location.bucket()).key(location.key(manifest.name(), MANIFEST))
                .contentType("application/json"), RequestBody.fromBytes(manifest.toJson()));
    }

    /** The complete backups in the bucket, newest first. */
    public List<BackupManifest> list() {
        String root = location.rootPrefix();
        return s3.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(root)).contents().stream()
                .map(S3Object::key)
                .filter(key -> key.endsWith("/" + MANIFEST) && key.indexOf('/', root.length()) == key.length() - MANIFEST.length() - 1)
                .map(this::manifest)
                .sorted(Comparator.comparing(BackupManifest::createdAt).reversed())
                .toList();
    }

    /** Deletes a backup: the manifest first (from then on it is no longer listed), then its files. */
    public void delete(String name) {
        s3.deleteObject(d -> d.bucket(location.bucket()).key(location.key(name, MANIFEST)));
        // one request per object: DeleteObjects needs a Content-MD5 that several S3-compatible servers insist on
        // and the SDK no longer sends by default
        s3.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(location.backupPrefix(name)))
                .contents().forEach(o -> s3.deleteObject(d -> d.bucket(location.bucket()).key(o.key())));
    }

    /** Keeps the {@code keep} newest complete backups and deletes the others; the names deleted. */
    public List<String> prune(int keep) {
        List<BackupManifest> all = list();
        List<String> old = all.subList(Math.min(keep, all.size()), all.size()).stream().map(BackupManifest::name).toList();
        old.forEach(this::delete);
        return old;
    }

    /**
     * Downloads backup {@code name} into the empty directory {@code into} as a backup directory (checked
     * against its manifest by the restore, not here).
     */
    public BackupManifest download(String name, Path into) {
        BackupManifest manifest;
        try {
            manifest = manifest(location.key(name, MANIFEST));
        } catch (NoSuchKeyException e) {
            throw new IllegalStateException("no backup " + new S3Location.Backup(location, name)
                    + " (no manifest.json: never taken, deleted, or its upload broke off)");
        }
        try {
            for (String file : manifest.files().keySet()) {
                Path target = into.resolve(file).normalize();
                if (!target.startsWith(into)) {
                    throw new IllegalStateException("backup " + name + " names a file outside it: " + file);
                }
                Files.createDirectories(target.getParent());
                s3.getObject(get -> get.bucket(location.bucket()).key(location.key(name, file)), target);
            }
            Files.write(into.resolve(MANIFEST), manifest.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + name + " into " + into + " failed", e);
        }
        return manifest;
    }

    /** The objects of backup {@code name}: key → size, for operators and tests. */
    public Map<String, Long> objects(String name) {
        return s3.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(location.backupPrefix(name)))
                .contents().stream().collect(java.util.stream.Collectors.toMap(S3Object::key, S3Object::size));
    }

    private BackupManifest manifest(String key) {
        return BackupManifest.fromJson(s3.getObject(get -> get.bucket(location.bucket()).key(key)),
                "s3://" + location.bucket() + "/" + key);
    }

    @Override
    public void close() {
        s3.close();
    }
}
