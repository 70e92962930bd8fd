package io.edgerag.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.common.Sha256;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the audit log. Its canonical form is the JSON object of every field but {@code hash}, in
 * the order below, absent fields left out; {@code hash} = SHA-256 (hex) of that canonical form, which
 * includes {@code prev}, the hash of the entry before (the first entry's {@code prev} is {@link #GENESIS}).
 * The line is the canonical form with {@code hash} appended, so a line that is not byte for byte what
 * its own fields re-serialise to has been edited.
 *
 * @param seq  1 for the first entry of the log, +1 for each next one (a gap is a removed line)
 * @param id   event id (random UUID)
 * @param time when it was recorded (ISO-8601 UTC)
 */
public record AuditEntry(long seq, String id, String time, String principal, String action, String docId,
                         String version, String collection, String detail, String prev, String hash) {

    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    static AuditEntry sealed(long seq, String id, String time, AuditEvent e, String prev) {
        AuditEntry unsealed = new AuditEntry(seq, id, time, e.principal(), e.action(), e.docId(), e.version(),
                e.collection(), e.detail(), prev, null);
        return unsealed.withHash(Sha256.hex(unsealed.canonical()));
    }

    private AuditEntry withHash(String h) {
        return new AuditEntry(seq, id, time, principal, action, docId, version, collection, detail, prev, h);
    }

    /** The hashed content: every field but {@code hash}, in a fixed order. */
    public String canonical() {
        return write(fields(false));
    }

    /** The line as written to the log (without the newline). */
    public String toLine() {
        return write(fields(true));
    }

    /** The hash this entry's content should have. */
    public String expectedHash() {
        return Sha256.hex(canonical());
    }

    private Map<String, Object> fields(boolean withHash) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        put(m, "id", id);
        put(m, "time", time);
        put(m, "principal", principal);
        put(m, "action", action);
        put(m, "docId", docId);
        put(m, "version", version);
        put(m, "collection", collection);
        put(m, "detail", detail);
        put(m, "prev", prev);
        if (withHash) {
            put(m, "hash", hash);
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static String write(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit entry does not serialise", e);
        }
    }

    /** Reads a line back; throws {@link IllegalArgumentException} when it is not an entry at all. */
    public static AuditEntry parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject() || !n.path("seq").canConvertToLong()) {
            throw new IllegalArgumentException("not an audit entry (no seq)");
        }
        return new AuditEntry(n.get("seq").asLong(), text(n, "id"), text(n, "time"), text(n, "principal"),
                text(n, "action"), text(n, "docId"), text(n, "version"), text(n, "collection"), text(n, "detail"),
                text(n, "prev"), text(n, "hash"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
