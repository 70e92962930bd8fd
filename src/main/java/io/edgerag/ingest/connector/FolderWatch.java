package io.edgerag.ingest.connector;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.stream.Stream;

/**
 * Prompt news of changes under a folder, from the platform's {@link WatchService} (every directory
 * registered, new ones as they appear). It only says "something changed": the folder run that follows
 * finds what, so a missed or overflowed event costs nothing but the wait for the periodic run.
 */
final class FolderWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FolderWatch.class);

    private final WatchService service;
    private final Runnable changed;

    private FolderWatch(WatchService service, Runnable changed) {
        this.service = service;
        this.changed = changed;
    }

    /** @return the running watch, or null when the platform cannot watch the folder (the periodic run remains) */
    static FolderWatch start(String connector, Path root, Runnable changed) {
        try {
            FolderWatch watch = new FolderWatch(root.getFileSystem().newWatchService(), changed);
            watch.registerTree(root);
            Thread thread = new Thread(watch::loop, "edgerag-connector-" + connector + "-watch");
            thread.setDaemon(true);
            thread.start();
            return watch;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("connector %s cannot watch %s (%s): changes show up at the next periodic run", connector, root,
                    e.getMessage());
            return null;
        }
    }

    private void registerTree(Path dir) throws IOException {
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && event.context() instanceof Path child
                            && Files.isDirectory(dir.resolve(child))) {
                        registerQuietly(dir.resolve(child));
                    }
                }
                key.reset();
                changed.run();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed at shutdown
        }
    }

    private void registerQuietly(Path dir) {
        try {
            registerTree(dir);
        } catch (IOException e) {
            LOG.debugf("cannot watch new folder %s (%s): the periodic run covers it", dir, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debugf("closing a folder watch: %s", e.getMessage());
        }
    }
}
