package io.edgerag.store.cloud.pinecone;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.InvalidCloudRequestException;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * String metadata ↔ Pinecone's {@link Struct}, within Pinecone's rules: flat string values only (no
 * nulls, no nested objects, and never numbers, which Pinecone keeps as doubles), and at most
 * {@code maxBytes} per vector measured as JSON. Chunk text is the one field that may be long: when the
 * metadata is too large the text is cut (marked, with {@link CloudRecord#TEXT_TRUNCATED}) and its hash
 * kept so that readers can tell.
 */
final class PineconeMetadata {

    static final String TRUNCATION_MARKER = " […]";

    private PineconeMetadata() {
    }

    static Struct toStruct(String id, Map<String, String> metadata, int maxBytes) {
        Map<String, String> fitted = fit(id, metadata, maxBytes);
        Struct.Builder struct = Struct.newBuilder();
        fitted.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return struct.build();
    }

    static Map<String, String> fit(String id, Map<String, String> metadata, int maxBytes) {
        Map<String, String> out = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.startsWith("$")) {
                throw new InvalidCloudRequestException("Record " + id + ": metadata key '" + k
                        + "' is not allowed (empty or starting with $)");
            }
            if (v != null) {
                out.put(k, v);
            }
        });
        if (jsonBytes(out) <= maxBytes) {
            return out;
        }
        String text = out.remove(CloudRecord.TEXT);
        if (text != null) {
            out.putIfAbsent(CloudRecord.TEXT_HASH, sha256(text));
            out.put(CloudRecord.TEXT_TRUNCATED, "true");
            int room = maxBytes - jsonBytes(out) - jsonBytes(Map.of(CloudRecord.TEXT, TRUNCATION_MARKER));
            if (room > 0) {
                out.put(CloudRecord.TEXT, cutToJsonBytes(text, room) + TRUNCATION_MARKER);
            }
        }
        int size = jsonBytes(out);
        if (size > maxBytes) {
            throw new InvalidCloudRequestException("Record " + id + ": metadata is " + size + " bytes without its text, "
                    + "over the " + maxBytes + "-byte limit per vector; keys: " + out.keySet());
        }
        return out;
    }

    /** Every value as a string; numbers and booleans written by others are rendered, lists joined by ','. */
    static Map<String, String> fromStruct(Struct struct) {
        Map<String, String> out = new LinkedHashMap<>();
        struct.getFieldsMap().forEach((k, v) -> {
            String s = render(v);
            if (s != null) {
                out.put(k, s);
            }
        });
        return out;
    }

    /** {@code {key: {"$eq": value}, ...}}: Pinecone ANDs the top-level keys. */
    static Struct equalityFilter(Map<String, String> filter) {
        Struct.Builder struct = Struct.newBuilder();
        filter.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("$eq", Value.newBuilder().setStringValue(v).build())).build()));
        return struct.build();
    }

    private static String render(Value v) {
        return switch (v.getKindCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case NUMBER_VALUE -> BigDecimal.valueOf(v.getNumberValue()).stripTrailingZeros().toPlainString();
            case LIST_VALUE -> renderList(v.getListValue());
            default -> null;
        };
    }

    private static String renderList(ListValue list) {
        return list.getValuesList().stream().map(PineconeMetadata::render).collect(Collectors.joining(","));
    }

    /** Size of the metadata as a JSON object in UTF-8, which is how Pinecone measures its limit. */
    static int jsonBytes(Map<String, String> metadata) {
        int size = 2;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            size += jsonStringBytes(e.getKey()) + 1 + jsonStringBytes(e.getValue()) + 1;
        }
        return size;
    }

    private static int jsonStringBytes(String s) {
        int size = 2;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            size += codePointJsonBytes(cp);
            i += Character.charCount(cp);
        }
        return size;
    }

    private static int codePointJsonBytes(int cp) {
        if (cp == '"' || cp == '\\') {
            return 2;
        }
        if (cp < 0x20) {
            return 6;
        }
        return new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix whose JSON string body fits in {@code room} bytes, never splitting a code point. */
    private static String cutToJsonBytes(String s, int room) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int bytes = codePointJsonBytes(cp);
            if (used + bytes > room) {
                break;
            }
            used += bytes;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    static String sha256(String text) {
        return io.edgerag.common.Sha256.hex(text);
    }
}
