package io.edgerag.backup;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar edgerag.jar restore <backup-dir | s3://bucket/prefix/name> <data-dir>}: restores onto a
 * stopped, empty node without starting the appliance (its store must not be open while it is replaced).
 * Exit code 0: restored; 1: refused or failed (nothing restored); 2: usage.
 */
public final class RestoreCommand {

    /** Quarkus' ordinals for these two files, so that the CLI resolves a key the way the appliance does. */
    private static final int APPLICATION_PROPERTIES = 250;
    private static final int WORKING_DIR_CONFIG = 260;

    private RestoreCommand() {
    }

    public static int run(String[] args, PrintStream err) {
        if (args.length != 3) {
            err.println("usage: edgerag restore <backup-dir | s3://bucket/prefix/backup-name> <data-dir>   "
                    + "(the node stopped, its data-dir without a store; S3 client settings: edgerag.backup.s3.*)");
            return 2;
        }
        try {
            SmallRyeConfig config = cliConfig();
            BackupManifest m = Backups.restore(args[1], Path.of(args[2]), config.getConfigMapping(BackupConfig.class).s3());
            err.printf("restored %s (%d chunks, taken on node %s at %s) into %s; start the node: it rebuilds "
                    + "its indexes and catches up from the change log%n", m.name(), m.chunks(), m.node(), m.createdAt(), args[2]);
            if (config.getOptionalValue("edgerag.sync.node-id", String.class).filter(m.node()::equals).isPresent()) {
                err.printf("WARNING: edgerag.sync.node-id is %s, the node this backup was taken on: remove it (or set a "
                        + "new id) before you start this node. Under the old id it would resume from that node's "
                        + "consumer offsets and miss what happened between the backup and the old node's last run.%n", m.node());
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("restore failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The configuration as the appliance would see it (system properties, environment,
     * {@code config/application.properties}, the packaged {@code application.properties}, prod profile),
     * read without starting it.
     */
    static SmallRyeConfig cliConfig() {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultSources().withProfile("prod")
                .withMapping(BackupConfig.class);
        try {
            URL packaged = RestoreCommand.class.getClassLoader().getResource("application.properties");
            if (packaged != null) {
                builder.withSources(new PropertiesConfigSource(packaged, APPLICATION_PROPERTIES));
            }
            Path local = Path.of("config", "application.properties");
            if (Files.isRegularFile(local)) {
                builder.withSources(new PropertiesConfigSource(local.toUri().toURL(), WORKING_DIR_CONFIG));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration", e);
        }
        return builder.build();
    }
}
