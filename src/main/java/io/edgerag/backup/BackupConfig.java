package io.edgerag.backup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** {@code edgerag.backup.*}: where node backups go, how often, how many are kept. */
@ConfigMapping(prefix = "edgerag.backup")
public interface BackupConfig {

    /** Directory the backups are written to (one sub-directory each); mount another disk or an NFS share here. */
    @WithDefault("backups")
    String dir();

    /** Take a backup this often; absent = only on demand ({@code POST /api/admin/backups}). */
    Optional<Duration> every();

    /** Backups kept, in {@link #dir()} and in the S3 bucket alike; older ones are deleted after a new one succeeded. */
    @WithDefault("7")
    int keep();

    /** {@code edgerag.backup.s3.*}: a copy of every backup in an S3-compatible bucket. */
    S3 s3();

    /**
     * Every backup is also uploaded to an S3-compatible object store (AWS S3, MinIO, Ceph, Garage, S3Proxy, ...)
     * once it is written and checksummed locally, under {@code <prefix>/<backup-name>/}; the manifest goes last,
     * so a backup whose upload broke off is never listed or restored.
     */
    interface S3 {

        /** Bucket the backups go to (it must exist); absent = no upload, backups stay in {@code edgerag.backup.dir}. */
        Optional<String> bucket();

        /** Key prefix inside the bucket, e.g. the node's name ({@code edge-17}); empty = the bucket's root. */
        @WithDefault("edgerag-backups")
        String prefix();

        /** Endpoint of an S3-compatible service ({@code https://minio.local:9000}); absent = AWS S3 of {@link #region()}. */
        Optional<URI> endpoint();

        /** Region the requests are signed for; most S3-compatible services accept any. */
        @WithDefault("us-east-1")
        String region();

        /** Path-style URLs ({@code endpoint/bucket/key}), which most S3-compatible services need; false = virtual hosts. */
        @WithDefault("true")
        boolean pathStyle();

        /**
         * Access key id; with {@link #secretAccessKey()}. Absent = the AWS SDK's default credentials chain
         * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code ~/.aws/credentials}, instance role).
         * Set it from the environment ({@code EDGERAG_BACKUP_S3_ACCESS_KEY_ID}) or a secret, never in a file under
         * version control; neither key is ever logged.
         */
        Optional<String> accessKeyId();

        /** Secret access key ({@code EDGERAG_BACKUP_S3_SECRET_ACCESS_KEY}); see {@link #accessKeyId()}. */
        Optional<String> secretAccessKey();
    }
}
