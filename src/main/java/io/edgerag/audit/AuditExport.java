package io.edgerag.audit;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The entries of a log recorded at or after a time, as the JSON lines they are (so a copy verifies alike). */
public final class AuditExport {

    private AuditExport() {
    }

    public static void write(AuditTrail trail, Instant since, OutputStream out) {
        AuditChain.lines(trail.file(), trail.durableLength(), line -> {
            if (since == null || !recordedBefore(line, since)) {
                try {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    private static boolean recordedBefore(String line, Instant since) {
        try {
            return Instant.parse(AuditEntry.parse(line).time()).isBefore(since);
        } catch (RuntimeException unreadable) {
            return false; // exported as it is: the reader's verify will name it
        }
    }
}
