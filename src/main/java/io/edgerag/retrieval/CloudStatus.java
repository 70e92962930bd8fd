package io.edgerag.retrieval;

import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to the cloud on one retrieval; the response carries it so a local-only answer is never silent. */
public enum CloudStatus {
    /** No cloud store configured (standalone). */
    DISABLED,
    /** The local tier was confident (best similarity ≥ τ): the cloud was not asked. */
    SKIPPED,
    /** The cloud answered within the budget; its passages are merged in. */
    USED,
    /** The cloud did not answer within the budget: local passages only. */
    TIMEOUT,
    /** The circuit breaker is open after recent failures: the cloud was not asked, local passages only. */
    OPEN,
    /** The cloud call failed: local passages only. */
    ERROR,
    /** The request filters on a date range, which the cloud store cannot evaluate: local passages only. */
    UNFILTERABLE;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
