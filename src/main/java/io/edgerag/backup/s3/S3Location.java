package io.edgerag.backup.s3;

/**
 * Where backups live in an object store: a bucket and a key prefix ({@code ""} = the bucket's root). One backup
 * is {@code <prefix>/<name>/manifest.json} and {@code <prefix>/<name>/store/...}.
 */
public record S3Location(String bucket, String prefix) {

    private static final String SCHEME = "s3://";

    public S3Location {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 location needs a bucket");
        }
        prefix = prefix == null ? "" : strip(prefix);
    }

    /** True for a restore source given as {@code s3://bucket/prefix/name} rather than a directory. */
    public static boolean isUri(String source) {
        return source.startsWith(SCHEME);
    }

    /**
     * Splits {@code s3://bucket/prefix/name} into the location ({@code bucket}, {@code prefix}) and the backup's
     * name (the last segment), the way {@code aws s3} and {@code rclone} spell object paths.
     */
    public static Backup parseBackupUri(String uri) {
        if (!isUri(uri)) {
            throw new IllegalArgumentException(uri + " is not an s3:// address");
        }
        String path = strip(uri.substring(SCHEME.length()));
        int firstSlash = path.indexOf('/');
        int lastSlash = path.lastIndexOf('/');
        if (firstSlash <= 0) {
            throw new IllegalArgumentException(uri + " names no backup: expected s3://<bucket>/<prefix>/<backup-name>");
        }
        String prefix = firstSlash == lastSlash ? "" : path.substring(firstSlash + 1, lastSlash);
        return new Backup(new S3Location(path.substring(0, firstSlash), prefix), path.substring(lastSlash + 1));
    }

    /** The key of {@code relativePath} inside backup {@code name}. */
    public String key(String name, String relativePath) {
        return backupPrefix(name) + relativePath;
    }

    /** The key prefix all objects of backup {@code name} share (ends with '/'). */
    public String backupPrefix(String name) {
        return rootPrefix() + name + "/";
    }

    /** The key prefix all backups share ({@code ""} or ending with '/'). */
    public String rootPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + prefix;
    }

    private static String strip(String s) {
        String stripped = s.strip();
        while (stripped.startsWith("/")) {
            stripped = stripped.substring(1);
        }
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }

    /** One backup in a location. */
    public record Backup(S3Location location, String name) {
        @Override
        public String toString() {
            return location.rootPrefix().isEmpty() ? SCHEME + location.bucket() + "/" + name
                    : SCHEME + location.bucket() + "/" + location.rootPrefix() + name;
        }
    }
}
