package io.edgerag.audit;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The append-only, hash-chained audit log: one JSON line per {@link AuditEntry}, written by one thread.
 *
 * <p><b>Durability</b>: callers hand events to {@link #append} and get a future; the writer thread takes
 * whatever has queued up, writes those lines in one go, {@code fsync}s the file once ({@code force}), and
 * only then completes their futures (group commit: one fsync per batch, however many callers waited).
 * A caller that acknowledges its client after the future completes therefore never acknowledges an
 * action whose line could be lost in a crash. Nothing here runs on the caller's thread but the enqueue.
 *
 * <p><b>Restart</b>: {@link #open} reads the last line and continues its chain ({@code seq} + 1, {@code prev}
 * = its hash). A last line without its newline is a write torn by a crash; no caller was told it was
 * written (the fsync had not returned), so it is cut off, with a warning. A last line that is not an
 * entry at all stops the open: the chain cannot be continued from it ({@code audit verify} says more).
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 512;

    private record Pending(AuditEvent event, CompletableFuture<AuditEntry> done) {
    }

    private final Path file;
    private final FileChannel channel;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private long seq;
    private String head;
    private volatile long durableLength;
    private volatile boolean closing;

    private AuditLog(Path file, FileChannel channel, long seq, String head) throws IOException {
        this.file = file;
        this.channel = channel;
        this.seq = seq;
        this.head = head;
        this.durableLength = channel.size();
        this.writer = new Thread(this::writeLoop, "edgerag-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public static AuditLog open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            cutTornTail(file);
            AuditEntry last = lastEntry(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new AuditLog(file, channel, last == null ? 0 : last.seq(), last == null ? AuditEntry.GENESIS : last.hash());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Bytes of the file that hold complete, fsynced lines (readers stop there: a line may be half-written past it). */
    public long durableLength() {
        return durableLength;
    }

    /** Queues an event; the future completes with its entry once the line is on disk, or fails. */
    public CompletableFuture<AuditEntry> append(AuditEvent event) {
        CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IllegalStateException("the audit log is closed"));
            return done;
        }
        queue.add(new Pending(event, done));
        return done;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the audit log was closed"));
        }
    }

    private void write(List<Pending> batch) {
        long seqBefore = seq;
        String headBefore = head;
        List<AuditEntry> entries = new ArrayList<>(batch.size());
        StringBuilder lines = new StringBuilder();
        String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        for (Pending p : batch) {
            AuditEntry e = AuditEntry.sealed(seq + 1, UUID.randomUUID().toString(), time, p.event(), head);
            seq = e.seq();
            head = e.hash();
            entries.add(e);
            lines.append(e.toLine()).append('\n');
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
            durableLength = channel.size();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("audit log %s: %d entries not written (%s)", file, batch.size(), e.getMessage());
            seq = seqBefore;
            head = headBefore;
            try {
                channel.truncate(durableLength); // no half batch for the next one to chain onto
            } catch (IOException ignored) {
                // the open after a restart cuts a torn tail
            }
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(entries.get(i));
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warnf("closing the audit log %s: %s", file, e.getMessage());
        }
    }

    private static void cutTornTail(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long end = raf.length();
            raf.seek(end - 1);
            if (raf.read() == '\n') {
                return;
            }
            long keep = lastNewlineBefore(raf, end) + 1;
            LOG.warnf("audit log %s ends with a torn line (%d bytes, never acknowledged); cutting it off", file, end - keep);
            raf.setLength(keep);
            raf.getFD().sync();
        }
    }

    private static AuditEntry lastEntry(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return null;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length() - 1; // the final newline
            long start = lastNewlineBefore(raf, end) + 1;
            byte[] line = new byte[(int) (end - start)];
            raf.seek(start);
            raf.readFully(line);
            try {
                return AuditEntry.parse(new String(line, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the last line of the audit log " + file + " is not an entry ("
                        + e.getMessage() + "): the chain cannot continue; check it with 'audit verify'");
            }
        }
    }

    /** Offset of the last '\n' before {@code end} (exclusive), or -1. */
    private static long lastNewlineBefore(RandomAccessFile raf, long end) throws IOException {
        byte[] buf = new byte[8192];
        long pos = end;
        while (pos > 0) {
            int n = (int) Math.min(buf.length, pos);
            raf.seek(pos - n);
            raf.readFully(buf, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (buf[i] == '\n') {
                    return pos - n + i;
                }
            }
            pos -= n;
        }
        return -1;
    }
}
