package io.edgerag.consistency;

import com.fasterxml.jackson.annotation.JsonValue;
import io.edgerag.common.InvalidRequestException;

import java.util.Locale;

/**
 * When a write is acknowledged. Every level first makes the write durable on this edge; the higher ones
 * then wait for more, within a timeout, and say which targets are still pending when it runs out (never a
 * silent downgrade).
 */
public enum WriteLevel {
    /** Durable on this edge (the default); other edges and the cloud converge through the change log. */
    LOCAL,
    /** Also applied in the cloud store, so an edge that falls back to the cloud sees it at once. */
    CLOUD,
    /** Also applied on every currently-known edge (peers heard from within {@code edgerag.consistency.peer-expiry}). */
    ALL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code value} null or blank → {@code fallback}. */
    public static WriteLevel parse(String value, WriteLevel fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("consistency of a write must be local, cloud or all, got '" + value + "'");
        }
    }
}
