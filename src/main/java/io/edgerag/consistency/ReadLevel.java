package io.edgerag.consistency;

import com.fasterxml.jackson.annotation.JsonValue;
import io.edgerag.common.InvalidRequestException;

import java.util.Locale;

/** How fresh a read must be. A read-your-writes token ({@link ConsistencyToken}) comes on top of either. */
public enum ReadLevel {
    /** Local tier first, the cloud only when the local answer is not confident (the default). */
    LOCAL,
    /** Local merged with the cloud regardless of confidence, so recent writes made elsewhere are seen. */
    FRESH;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReadLevel parse(String value) {
        if (value == null || value.isBlank()) {
            return LOCAL;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("consistency of a read must be local or fresh, got '" + value + "'");
        }
    }
}
