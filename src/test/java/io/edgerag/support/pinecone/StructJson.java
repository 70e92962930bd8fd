package io.edgerag.support.pinecone;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Size of a metadata Struct written as compact JSON, the measure of Pinecone's 40 KB limit. */
final class StructJson {

    private StructJson() {
    }

    static int bytes(Struct struct) {
        StringBuilder json = new StringBuilder();
        write(Value.newBuilder().setStructValue(struct).build(), json);
        return json.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void write(Value v, StringBuilder json) {
        switch (v.getKindCase()) {
            case STRING_VALUE -> string(v.getStringValue(), json);
            case NUMBER_VALUE -> json.append(v.getNumberValue());
            case BOOL_VALUE -> json.append(v.getBoolValue());
            case LIST_VALUE -> {
                json.append('[');
                for (int i = 0; i < v.getListValue().getValuesCount(); i++) {
                    json.append(i == 0 ? "" : ",");
                    write(v.getListValue().getValues(i), json);
                }
                json.append(']');
            }
            case STRUCT_VALUE -> {
                json.append('{');
                boolean first = true;
                for (Map.Entry<String, Value> e : v.getStructValue().getFieldsMap().entrySet()) {
                    json.append(first ? "" : ",");
                    first = false;
                    string(e.getKey(), json);
                    json.append(':');
                    write(e.getValue(), json);
                }
                json.append('}');
            }
            default -> json.append("null");
        }
    }

    private static void string(String s, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
