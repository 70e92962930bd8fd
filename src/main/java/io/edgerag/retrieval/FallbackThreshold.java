package io.edgerag.retrieval;

import io.edgerag.config.EdgeragConfig;

import java.util.Map;

/**
 * τ, the best local cosine similarity at or above which the local answer is trusted and the cloud not
 * asked. Similarities are not comparable across embedding models, so the default depends on the model.
 *
 * <p>bge-small-en-v15-q: 0.80, fitted on partitioned SciFact ({@code bench/hybrid-scifact.sh}, bench/README.md
 * "Hybrid retrieval (partitioned SciFact)": half the corpus on the edge, all of it in the cloud). 0.80 is
 * the knee of nDCG@10 against fallback rate: it recovers 88 % of the local-half → all-local nDCG@10 gap
 * with 70 % of the queries falling back; the provisional 0.70 recovered 10 % (bge's best cosines sit in
 * 0.60–0.90 whether or not the answer is on the edge, so a low τ almost never falls back).
 * all-minilm-l6-v2: 0.60, fitted the same way (knee: 69 % of the gap at 52 % fallback; the provisional
 * 0.50 recovered 21 %, 0.70 would recover 93 % at 82 % fallback).
 * {@code edgerag.retrieval.cloud-fallback-threshold} overrides both.
 */
public final class FallbackThreshold {

    static final Map<String, Double> DEFAULTS = Map.of("bge-small-en-v15-q", 0.80, "all-minilm-l6-v2", 0.60);
    static final double OTHER_MODELS = 0.60;

    private FallbackThreshold() {
    }

    public static double of(EdgeragConfig config) {
        return config.retrieval().cloudFallbackThreshold()
                .orElseGet(() -> DEFAULTS.getOrDefault(config.embedding().model(), OTHER_MODELS));
    }
}
