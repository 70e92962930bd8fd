package io.edgerag.ingest.connector;

import io.edgerag.common.Sha256;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A watched folder: every included file under it is a document, kept in the store as the file changes,
 * and deleted when the file goes. A run compares the folder with the state file (relative path → size,
 * modification time, SHA-256 of the bytes): files whose size and time did not move are not even read,
 * files whose bytes did not change are not parsed, and files gone since — also while the appliance was
 * down — are deleted. {@link FolderWatch} makes a change show up within a second; the periodic run
 * catches what the watch missed.
 */
public final class FolderConnector implements SourceConnector {

    /** What the last run saw of one file; {@code rejected}: it could not be ingested (retried once it changes). */
    @RegisterForReflection // Jackson reads and writes it in the state file, native image too
    record FileState(String sha256, long size, long modifiedMillis, boolean rejected) {
        boolean sameStamp(BasicFileAttributes attributes) {
            return size == attributes.size() && modifiedMillis == attributes.lastModifiedTime().toMillis();
        }
    }

    /** @param files by path relative to the folder, {@code /}-separated */
    @RegisterForReflection // Jackson reads and writes it in the state file, native image too
    record State(Map<String, FileState> files) {
    }

    private static final long SAVE_EVERY_MILLIS = 1000;

    private final ConnectorSettings settings;
    private final DocumentSink sink;
    private final ConnectorProgress progress;
    private final Path root;
    private final IncludeGlobs include;
    private final StateFile<State> stateFile;
    private FolderWatch watch;

    public FolderConnector(ConnectorSettings settings, DocumentSink sink, Path stateDir, ConnectorProgress progress) {
        this.settings = settings;
        this.sink = sink;
        this.progress = progress;
        this.root = Path.of(settings.location()).toAbsolutePath().normalize();
        this.include = new IncludeGlobs(settings.include());
        this.stateFile = new StateFile<>(stateDir.resolve("folder-state.json"), State.class);
    }

    @Override
    public ConnectorSettings settings() {
        return settings;
    }

    @Override
    public ConnectorProgress progress() {
        return progress;
    }

    @Override
    public RunReport sync() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the connector's folder does not exist");
        }
        Map<String, FileState> known = new HashMap<>(stateFile.read().map(State::files).orElse(Map.of()));
        Map<String, Path> present = includedFiles();
        RunCounts counts = new RunCounts(progress);
        long savedAt = System.currentTimeMillis();
        for (Map.Entry<String, Path> file : present.entrySet()) {
            if (apply(file.getKey(), file.getValue(), known, counts) && System.currentTimeMillis() - savedAt > SAVE_EVERY_MILLIS) {
                stateFile.write(new State(known));
                savedAt = System.currentTimeMillis();
            }
        }
        for (String gone : known.keySet().stream().filter(path -> !present.containsKey(path)).sorted().toList()) {
            counts.deleted(sink.delete(gone));
            known.remove(gone);
        }
        stateFile.write(new State(known));
        return counts.report(settings.name(), present.size(), null);
    }

    /** @return whether the state changed */
    private boolean apply(String relative, Path file, Map<String, FileState> known, RunCounts counts) throws IOException {
        FileState before = known.get(relative);
        BasicFileAttributes attributes;
        byte[] bytes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (before != null && before.sameStamp(attributes)) {
                return false;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return false; // deleted since the listing: the next run deletes it
        }
        String sha256 = Sha256.hex(bytes);
        long modified = attributes.lastModifiedTime().toMillis();
        if (before != null && before.sha256().equals(sha256)) {
            known.put(relative, new FileState(sha256, bytes.length, modified, before.rejected()));
            return true;
        }
        boolean rejected = !counts.upsert(relative, () -> sink.upsert(relative, bytes));
        known.put(relative, new FileState(sha256, bytes.length, modified, rejected));
        return true;
    }

    private Map<String, Path> includedFiles() throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String relative = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (include.includes(relative)) {
                    files.put(relative, file);
                }
            });
        }
        return files;
    }

    @Override
    public void watch(Runnable changed) {
        watch = FolderWatch.start(settings.name(), root, changed);
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
