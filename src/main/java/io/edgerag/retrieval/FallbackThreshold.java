package io.edgerag.retrieval;

import io.edgerag.config.EdgeragConfig;

import java.util.Map;

/**
 * τ, the best local cosine similarity at or above which the local answer is trusted and the cloud not
 * asked. Similarities are not comparable across embedding models, so the default depends on the model:
 * bge-small-en-v1.5 packs unrelated texts into 0.4–0.6 and relevant ones above ~0.7; all-MiniLM-L6-v2
 * spreads them lower (unrelated near 0–0.3, relevant above ~0.5). These defaults are provisional (set
 * from those distributions, not yet fitted on a labelled corpus such as SciFact);
 * {@code edgerag.retrieval.cloud-fallback-threshold} overrides them.
 */
public final class FallbackThreshold {

    static final Map<String, Double> DEFAULTS = Map.of("bge-small-en-v15-q", 0.70, "all-minilm-l6-v2", 0.50);
    static final double OTHER_MODELS = 0.60;

    private FallbackThreshold() {
    }

    public static double of(EdgeragConfig config) {
        return config.retrieval().cloudFallbackThreshold()
                .orElseGet(() -> DEFAULTS.getOrDefault(config.embedding().model(), OTHER_MODELS));
    }
}
