package io.edgerag.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.PrintStream;
import io.edgerag.security.Caller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Bulk ingest of every .txt/.md/.html/.pdf under a folder, with a progress bar on stderr. */
@ApplicationScoped
public class FolderIngest {

    private final IngestService ingest;

    public FolderIngest(IngestService ingest) {
        this.ingest = ingest;
    }

    /** @return the process exit code: 0 all ingested, 1 some failed, 2 bad folder. */
    public int run(Path folder, PrintStream out) {
        if (!Files.isDirectory(folder)) {
            out.println("Not a folder: " + folder);
            return 2;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(FolderIngest::supported).sorted().toList();
        } catch (IOException e) {
            out.println("Cannot list " + folder + ": " + e.getMessage());
            return 2;
        }
        int failed = 0;
        long chunks = 0;
        long start = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try {
                byte[] bytes = Files.readAllBytes(file);
                String id = SourcePaths.docId(folder.relativize(file).toString());
                chunks += ingest.ingestFile(file.getFileName().toString(), null, bytes, id, null, null,
                                Caller.system("folder-ingest"))
                        .await().indefinitely().chunks();
            } catch (Exception e) {
                failed++;
                out.printf("%nfailed: %s: %s%n", file, e.getMessage());
            }
            out.print("\r" + progressBar(i + 1, files.size(), 30) + " " + file.getFileName());
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf("%nIngested %d of %d files, %d chunks in %.1f s (%.0f chunks/s)%n",
                files.size() - failed, files.size(), chunks, secs, chunks / Math.max(secs, 1e-9));
        return failed == 0 ? 0 : 1;
    }

    public static String progressBar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total;
    }

    static boolean supported(Path file) {
        return SourcePaths.supported(file.getFileName().toString());
    }
}
