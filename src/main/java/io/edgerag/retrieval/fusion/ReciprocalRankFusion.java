package io.edgerag.retrieval.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): an item scores Σ w / (k + rank) over
 * the rankings it appears in (rank from 1), so only ranks matter. That is what makes it the default: BM25
 * and cosine scores live on unrelated scales, and RRF needs no calibration between them. {@code k} = 60
 * is the paper's constant (and LangChain4j's): it damps the difference between the very top ranks.
 *
 * <p>Not LangChain4j's {@code ReciprocalRankFuser}: that one fuses {@code Content}s identified by text
 * equality and does not expose the fused score, which edgerag reports on every passage.
 */
public final class ReciprocalRankFusion implements RankFusion {

    public static final int DEFAULT_K = 60;

    private final int k;

    public ReciprocalRankFusion(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("RRF k must be at least 1, was " + k);
        }
        this.k = k;
    }

    @Override
    public <T> List<Fused<T>> fuse(List<Ranking<T>> rankings, Function<T, ?> identity, int limit) {
        Map<Object, T> items = new LinkedHashMap<>();
        Map<Object, Double> scores = new LinkedHashMap<>();
        for (Ranking<T> ranking : rankings) {
            int rank = 0;
            for (T item : ranking.items()) {
                rank++;
                Object id = identity.apply(item);
                items.putIfAbsent(id, item);
                scores.merge(id, ranking.weight() / (k + rank), Double::sum);
            }
        }
        List<Fused<T>> fused = new ArrayList<>(items.size());
        items.forEach((id, item) -> fused.add(new Fused<>(item, scores.get(id))));
        // stable sort: ties keep first-seen order, i.e. the first ranking's order
        fused.sort(Comparator.comparingDouble((Fused<T> f) -> f.score()).reversed());
        return fused.size() > limit ? new ArrayList<>(fused.subList(0, limit)) : fused;
    }
}
