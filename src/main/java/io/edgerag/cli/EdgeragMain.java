package io.edgerag.cli;

import io.edgerag.backup.BackupManifest;
import io.edgerag.backup.Backups;
import io.edgerag.ingest.FolderIngest;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

import java.nio.file.Path;

/**
 * {@code java -jar edgerag.jar} serves; {@code java -jar edgerag.jar ingest <folder>} bulk-ingests a
 * folder into the local store and exits; {@code restore <backup-dir> <data-dir>} restores a backup
 * onto a stopped, empty node; {@code audit verify <file>} checks an audit log's hash chain without
 * starting the appliance (its store may be open in a running one).
 */
@QuarkusMain
public class EdgeragMain implements QuarkusApplication {

    @Inject
    FolderIngest folderIngest;

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("restore")) {
            System.exit(restore(args));
        }
        if (args.length > 0 && args[0].equals("audit")) {
            System.exit(io.edgerag.audit.AuditCommand.run(args, System.out, System.err));
        }
        Quarkus.run(EdgeragMain.class, args);
    }

    /** Runs without starting the appliance: the store must not be open while it is replaced. */
    private static int restore(String... args) {
        if (args.length != 3) {
            System.err.println("usage: edgerag restore <backup-dir> <data-dir>   (the node stopped, its data-dir without a store)");
            return 2;
        }
        try {
            BackupManifest m = Backups.restore(Path.of(args[1]), Path.of(args[2]));
            System.err.printf("restored %s (%d chunks, taken on node %s at %s) into %s; start the node: it rebuilds "
                    + "its indexes and catches up from the change log%n", m.name(), m.chunks(), m.node(), m.createdAt(), args[2]);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("restore failed: " + e.getMessage());
            return 1;
        }
    }

    @Override
    public int run(String... args) {
        if (args.length > 0 && args[0].equals("ingest")) {
            if (args.length != 2) {
                System.err.println("usage: edgerag ingest <folder>");
                return 2;
            }
            return folderIngest.run(Path.of(args[1]), System.err);
        }
        Quarkus.waitForExit();
        return 0;
    }
}
