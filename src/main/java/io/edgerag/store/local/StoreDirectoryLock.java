package io.edgerag.store.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process owns a store directory. A second process (say the bulk-ingest command while the
 * appliance is serving) would write to SQLite behind the first one's in-memory index, whose searches
 * would then miss those writes; so it is refused at open. The OS releases the lock when the owner
 * dies, even by SIGKILL.
 */
final class StoreDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StoreDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreDirectoryLock acquire(Path directory) throws IOException {
        Path file = directory.resolve("store.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("The store in " + directory.toAbsolutePath()
                    + " is open in another edgerag process (or another store in this one); stop it first");
        }
        return new StoreDirectoryLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the channel is going away either way; the OS drops the lock with it
        }
    }
}
