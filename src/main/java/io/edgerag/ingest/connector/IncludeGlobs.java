package io.edgerag.ingest.connector;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * A connector's {@code include} globs, compiled once: a glob without {@code /} matches the file name
 * wherever the file lies ({@code *.md}), one with a {@code /} the path relative to the root ({@code docs/**}).
 */
final class IncludeGlobs {

    private record Glob(PathMatcher matcher, boolean byPath) {
    }

    private final List<Glob> globs;

    IncludeGlobs(List<String> patterns) {
        this.globs = patterns.stream()
                .map(p -> new Glob(FileSystems.getDefault().getPathMatcher("glob:" + p), p.contains("/")))
                .toList();
    }

    /** @param relativePath {@code /}-separated, relative to the source's root */
    boolean includes(String relativePath) {
        Path path = Path.of(relativePath);
        return globs.stream().anyMatch(g -> g.matcher().matches(g.byPath() ? path : path.getFileName()));
    }
}
