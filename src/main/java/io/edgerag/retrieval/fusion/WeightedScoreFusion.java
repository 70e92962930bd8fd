package io.edgerag.retrieval.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Weighted score fusion (convex combination): each ranking's scores are min-max normalised to [0, 1]
 * over the candidates it returned, then an item scores Σ weight × normalised score (0 where a ranking
 * did not return it). Uses the score margins RRF throws away, at the price of depending on how each
 * ranking's scores are spread; chosen per request ({@code fusion: weighted}) or by configuration.
 */
public final class WeightedScoreFusion implements RankFusion {

    @Override
    public <T> List<Fused<T>> fuse(List<Ranking<T>> rankings, Function<T, ?> identity, int limit) {
        Map<Object, T> items = new LinkedHashMap<>();
        Map<Object, Double> scores = new LinkedHashMap<>();
        for (Ranking<T> ranking : rankings) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (T item : ranking.items()) {
                double s = ranking.score().applyAsDouble(item);
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            double span = max - min;
            for (T item : ranking.items()) {
                double s = ranking.score().applyAsDouble(item);
                // a single candidate, or all equal, counts as fully relevant within its ranking
                double normalised = span > 0 ? (s - min) / span : 1.0;
                Object id = identity.apply(item);
                items.putIfAbsent(id, item);
                scores.merge(id, ranking.weight() * normalised, Double::sum);
            }
        }
        List<Fused<T>> fused = new ArrayList<>(items.size());
        items.forEach((id, item) -> fused.add(new Fused<>(item, scores.get(id))));
        fused.sort(Comparator.comparingDouble((Fused<T> f) -> f.score()).reversed());
        return fused.size() > limit ? new ArrayList<>(fused.subList(0, limit)) : fused;
    }
}
