package io.edgerag.retrieval.fusion;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Turns several rankings of the same kind of item into one. Items are the same when {@code identity}
 * gives the same key; the first list's copy of an item is the one kept.
 */
public interface RankFusion {

    /** An item of the fused ranking with its fused score (higher is better). */
    record Fused<T>(T item, double score) {
    }

    /** A ranking to fuse: best first, with each item's own score (used by score-based fusions only). */
    record Ranking<T>(List<T> items, ToDoubleFunction<T> score, double weight) {
    }

    <T> List<Fused<T>> fuse(List<Ranking<T>> rankings, Function<T, ?> identity, int limit);
}
