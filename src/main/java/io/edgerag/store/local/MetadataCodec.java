package io.edgerag.store.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * JSON for metadata. Document metadata is a plain string map; chunk metadata keeps the Java type of
 * each value ({@code {"year": ["i", "2024"]}}) so LangChain4j's typed {@code Metadata} and its
 * comparison filters round-trip exactly.
 */
final class MetadataCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private MetadataCodec() {
    }

    static String writeStrings(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> readStrings(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt metadata JSON: " + json, e);
        }
    }

    static void checkTyped(Map<String, Object> map, String what) {
        if (map == null) {
            return;
        }
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new InvalidStoreRequestException(what + ": metadata key must not be empty");
            }
            Object v = e.getValue();
            if (!(v == null || v instanceof String || v instanceof Integer || v instanceof Long
                    || v instanceof Float || v instanceof Double || v instanceof UUID)) {
                throw new InvalidStoreRequestException(what + ": unsupported metadata type "
                        + v.getClass().getSimpleName() + " for key '" + e.getKey() + "'");
            }
        }
    }

    static String writeTyped(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        ObjectNode root = JSON.createObjectNode();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            String type = v instanceof Integer ? "i" : v instanceof Long ? "l" : v instanceof Float ? "f"
                    : v instanceof Double ? "d" : v instanceof UUID ? "u" : "s";
            root.putArray(e.getKey()).add(type).add(v.toString());
        }
        return root.toString();
    }

    static Map<String, Object> readTyped(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
                ArrayNode pair = (ArrayNode) e.getValue();
                String s = pair.get(1).asText();
                Object v = switch (pair.get(0).asText()) {
                    case "i" -> Integer.valueOf(s);
                    case "l" -> Long.valueOf(s);
                    case "f" -> Float.valueOf(s);
                    case "d" -> Double.valueOf(s);
                    case "u" -> UUID.fromString(s);
                    default -> s;
                };
                out.put(e.getKey(), v);
            }
            return out;
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("corrupt metadata JSON: " + json, e);
        }
    }
}
