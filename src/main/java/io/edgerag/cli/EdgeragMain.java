package io.edgerag.cli;

import io.edgerag.ingest.FolderIngest;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

import java.nio.file.Path;

/**
 * {@code java -jar edgerag.jar} serves; {@code java -jar edgerag.jar ingest <folder>} bulk-ingests a
 * folder into the local store and exits; {@code restore <backup-dir | s3://bucket/prefix/name> <data-dir>}
 * restores a backup onto a stopped, empty node; {@code audit verify <file>} checks an audit log's hash chain without
 * starting the appliance (its store may be open in a running one).
 */
@QuarkusMain
public class EdgeragMain implements QuarkusApplication {

    @Inject
    FolderIngest folderIngest;

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("restore")) {
            System.exit(io.edgerag.backup.RestoreCommand.run(args, System.err));
        }
        if (args.length > 0 && args[0].equals("audit")) {
            System.exit(io.edgerag.audit.AuditCommand.run(args, System.out, System.err));
        }
        Quarkus.run(EdgeragMain.class, args);
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
