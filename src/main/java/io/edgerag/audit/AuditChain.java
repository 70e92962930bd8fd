package io.edgerag.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Checks an audit log end to end: every line is an entry in canonical form, its hash matches its
 * content, its {@code prev} is the hash of the line before and its {@code seq} follows that line's.
 * An edited field breaks the entry's own hash; a removed, inserted or reordered line breaks the
 * {@code prev} (and {@code seq}) of the line after it. Removing lines at the end cannot be seen from
 * the file alone: compare the count with an exported copy or {@code edgerag_audit_events_total}.
 */
public final class AuditChain {

    /**
     * The outcome of a verification.
     *
     * @param ok      whether the whole chain holds
     * @param entries entries that verified (all of them when ok; those before the broken one otherwise)
     * @param line    1-based line number of the first broken entry, null when ok
     * @param eventId that entry's event id when it could be read, else null
     * @param reason  why it is broken, null when ok
     * @param lastHash hash of the last verified entry (the chain's head when ok)
     */
    public record Report(boolean ok, long entries, Long line, String eventId, String reason, String lastHash) {

        static Report broken(long verified, long line, String eventId, String reason, String lastHash) {
            return new Report(false, verified, line, eventId, reason, lastHash);
        }

        public String describe() {
            return ok ? "OK: " + entries + " entries, chain head " + lastHash
                    : "BROKEN at line " + line + (eventId == null ? "" : " (event " + eventId + ")") + ": " + reason
                    + " (" + entries + " entries before it verified)";
        }
    }

    private AuditChain() {
    }

    public static Report verify(Path file) {
        try {
            return verify(file, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Verifies the first {@code limit} bytes (what a running log has made durable). */
    public static Report verify(Path file, long limit) {
        String prevHash = AuditEntry.GENESIS;
        long expectedSeq = 1;
        long lineNo = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            Line line;
            long[] remaining = {limit};
            while ((line = nextLine(in, remaining)) != null) {
                lineNo++;
                if (!line.terminated()) {
                    return Report.broken(lineNo - 1, lineNo, null, "incomplete last line (no newline): a torn write", prevHash);
                }
                AuditEntry e;
                try {
                    e = AuditEntry.parse(line.text());
                } catch (IllegalArgumentException bad) {
                    return Report.broken(lineNo - 1, lineNo, null, bad.getMessage(), prevHash);
                }
                String problem = problem(e, line.text(), expectedSeq, prevHash);
                if (problem != null) {
                    return Report.broken(lineNo - 1, lineNo, e.id(), problem, prevHash);
                }
                prevHash = e.hash();
                expectedSeq++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Report(true, lineNo, null, null, null, prevHash);
    }

    private static String problem(AuditEntry e, String text, long expectedSeq, String prevHash) {
        if (e.hash() == null || !e.hash().equals(e.expectedHash())) {
            return "content does not match its hash: the entry was edited";
        }
        if (!text.equals(e.toLine())) {
            return "not in canonical form: the line was edited (fields added, reordered or reformatted)";
        }
        if (!prevHash.equals(e.prev())) {
            return "prev does not match the hash of the entry before: a line was removed, inserted or reordered"
                    + " before this one";
        }
        if (e.seq() != expectedSeq) {
            return "seq " + e.seq() + " where " + expectedSeq + " was expected";
        }
        return null;
    }

    /** Streams the complete lines of the first {@code limit} bytes to {@code sink}. */
    static void lines(Path file, long limit, Consumer<String> sink) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            long[] remaining = {limit};
            Line line;
            while ((line = nextLine(in, remaining)) != null && line.terminated()) {
                sink.accept(line.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Line(String text, boolean terminated) {
    }

    private static Line nextLine(InputStream in, long[] remaining) throws IOException {
        if (remaining[0] <= 0) {
            return null;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        while (remaining[0] > 0 && (b = in.read()) >= 0) {
            remaining[0]--;
            if (b == '\n') {
                return new Line(buf.toString(StandardCharsets.UTF_8), true);
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : new Line(buf.toString(StandardCharsets.UTF_8), false);
    }
}
