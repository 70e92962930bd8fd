package io.edgerag.backup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code edgerag.backup.*}: where node backups go, how often, how many are kept. */
@ConfigMapping(prefix = "edgerag.backup")
public interface BackupConfig {

    /** Directory the backups are written to (one sub-directory each); mount another disk or an NFS/S3 sync here. */
    @WithDefault("backups")
    String dir();

    /** Take a backup this often; absent = only on demand ({@code POST /api/admin/backups}). */
    Optional<Duration> every();

    /** Backups kept; older ones are deleted after a new one succeeded. */
    @WithDefault("7")
    int keep();
}
