package io.edgerag.retrieval.fusion;

import io.edgerag.common.InvalidRequestException;
import java.util.Locale;

/** How hybrid mode combines its two rankings. */
public enum FusionMethod {
    /** {@link ReciprocalRankFusion}: ranks only. */
    RRF,
    /** {@link WeightedScoreFusion}: min-max normalised scores, weighted. */
    WEIGHTED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FusionMethod parse(String value, FusionMethod fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("fusion must be rrf or weighted, got '" + value + "'");
        }
    }
}
