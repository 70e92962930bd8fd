package io.edgerag.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code edgerag.limits.*}: how big one request may be, field by field; past a limit the request is a
 * {@code 400} problem naming the limit and its key. The body as a whole is bounded by
 * {@code quarkus.http.limits.max-body-size} ({@code 413}); k by {@code edgerag.retrieval.max-k}; the prompt
 * by {@code edgerag.generation.context-window} (a question that leaves no room for a passage is a 400,
 * passages and history beyond the window are left out). Document ids are fixed at 1-200 safe characters
 * ({@code io.edgerag.common.DocumentIds}) so that every node of a fleet accepts the same ids.
 */
@ConfigMapping(prefix = "edgerag.limits")
public interface LimitsConfig {

    /** Longest chat question or search query, in characters. */
    @WithDefault("4000")
    int questionLength();

    /** Most history turns a chat request may carry (the prompt keeps the newest that fit the window). */
    @WithDefault("50")
    int historyTurns();

    /** Longest single history turn, in characters. */
    @WithDefault("16000")
    int historyTurnLength();

    /** Longest document title, in characters. */
    @WithDefault("1000")
    int titleLength();

    /** Most metadata entries of one document. */
    @WithDefault("64")
    int metadataEntries();

    /** Longest metadata key or value, and longest source, in characters. */
    @WithDefault("2000")
    int metadataValueLength();
}
