package io.edgerag.ingest;

import io.edgerag.common.Sha256;

import java.util.Locale;

/**
 * How a file found under a source root (a folder given to {@code ingest}, a watched folder, a Git
 * tree) becomes a document: its id comes from its path relative to the root, so the CLI's bulk
 * ingest and the source connectors name the same file the same way, and a re-ingest replaces it.
 */
public final class SourcePaths {

    private static final int MAX_ID = 200;

    private SourcePaths() {
    }

    /**
     * {@code guides/install.md} → {@code guides-install.md}: every run of characters outside letters,
     * digits and {@code ._-} becomes one {@code -}. Ids longer than the store allows keep their head and
     * end in a hash of the whole path, so two long paths sharing a head still differ.
     */
    public static String docId(String relativePath) {
        String id = relativePath.replace('\\', '/').replaceAll("[^A-Za-z0-9._-]+", "-");
        if (id.length() <= MAX_ID) {
            return id;
        }
        return id.substring(0, MAX_ID - 17) + "-" + Sha256.hex(relativePath).substring(0, 16);
    }

    /** The document types ingest can parse (.txt, .md, .markdown, .html, .htm, .pdf), by file name. */
    public static boolean supported(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".txt") || name.endsWith(".md") || name.endsWith(".markdown")
                || name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".pdf");
    }
}
