package io.edgerag.support.pinecone;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import java.util.List;
import java.util.Map;

/**
 * Pinecone's metadata filter language as its documentation describes it, for the stand-in:
 * {@code $eq $ne $in $nin $gt $gte $lt $lte $and $or}; {@code {"k": v}} is shorthand for
 * {@code {"k": {"$eq": v}}}; several keys (or several operators on one key) must all hold. A list-valued
 * field matches {@code $eq}/{@code $in} when any element does; a missing field matches only
 * {@code $ne} and {@code $nin}. Comparisons are numeric and only on numbers.
 */
public final class PineconeFilter {

    private PineconeFilter() {
    }

    public static boolean matches(Struct filter, Struct metadata) {
        for (Map.Entry<String, Value> clause : filter.getFieldsMap().entrySet()) {
            if (!clause(clause.getKey(), clause.getValue(), metadata)) {
                return false;
            }
        }
        return true;
    }

    private static boolean clause(String key, Value condition, Struct metadata) {
        switch (key) {
            case "$and":
                return list(key, condition).stream().allMatch(f -> matches(struct(key, f), metadata));
            case "$or":
                return list(key, condition).stream().anyMatch(f -> matches(struct(key, f), metadata));
            default:
                if (key.startsWith("$")) {
                    throw new IllegalArgumentException("unknown top-level operator " + key);
                }
        }
        Value field = metadata.getFieldsMap().get(key);
        if (condition.getKindCase() != Value.KindCase.STRUCT_VALUE) {
            return field != null && equalsAny(field, condition);
        }
        for (Map.Entry<String, Value> op : condition.getStructValue().getFieldsMap().entrySet()) {
            if (!operator(op.getKey(), op.getValue(), field)) {
                return false;
            }
        }
        return true;
    }

    private static boolean operator(String op, Value operand, Value field) {
        return switch (op) {
            case "$eq" -> field != null && equalsAny(field, operand);
            case "$ne" -> field == null || !equalsAny(field, operand);
            case "$in" -> field != null && list(op, operand).stream().anyMatch(o -> equalsAny(field, o));
            case "$nin" -> field == null || list(op, operand).stream().noneMatch(o -> equalsAny(field, o));
            case "$gt" -> numeric(op, field, operand) && field.getNumberValue() > operand.getNumberValue();
            case "$gte" -> numeric(op, field, operand) && field.getNumberValue() >= operand.getNumberValue();
            case "$lt" -> numeric(op, field, operand) && field.getNumberValue() < operand.getNumberValue();
            case "$lte" -> numeric(op, field, operand) && field.getNumberValue() <= operand.getNumberValue();
            default -> throw new IllegalArgumentException("unknown operator " + op);
        };
    }

    /** A list field equals a value when one of its elements does. */
    private static boolean equalsAny(Value field, Value operand) {
        if (field.getKindCase() == Value.KindCase.LIST_VALUE) {
            return field.getListValue().getValuesList().contains(operand);
        }
        return field.equals(operand);
    }

    /** Missing or non-numeric fields never satisfy a comparison; a non-numeric operand is a bad filter. */
    private static boolean numeric(String op, Value field, Value operand) {
        if (operand.getKindCase() != Value.KindCase.NUMBER_VALUE) {
            throw new IllegalArgumentException(op + " needs a number, got " + operand.getKindCase());
        }
        return field != null && field.getKindCase() == Value.KindCase.NUMBER_VALUE;
    }

    private static List<Value> list(String op, Value v) {
        if (v.getKindCase() != Value.KindCase.LIST_VALUE) {
            throw new IllegalArgumentException(op + " needs a list");
        }
        return v.getListValue().getValuesList();
    }

    private static Struct struct(String op, Value v) {
        if (v.getKindCase() != Value.KindCase.STRUCT_VALUE) {
            throw new IllegalArgumentException(op + " needs a list of filters");
        }
        return v.getStructValue();
    }
}
