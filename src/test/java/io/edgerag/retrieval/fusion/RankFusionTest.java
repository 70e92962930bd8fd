package io.edgerag.retrieval.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RankFusionTest {

    /** An item as two rankings may hold it: same id, each with its own score. */
    record Hit(String id, double score) {
    }

    private static RankFusion.Ranking<Hit> ranking(double weight, Hit... hits) {
        return new RankFusion.Ranking<>(List.of(hits), Hit::score, weight);
    }

    private static List<String> ids(List<RankFusion.Fused<Hit>> fused) {
        return fused.stream().map(f -> f.item().id()).toList();
    }

    @Test
    void rrf_scores_an_item_by_the_sum_of_reciprocal_ranks() {
        RankFusion rrf = new ReciprocalRankFusion(60);
        List<RankFusion.Fused<Hit>> fused = rrf.fuse(List.of(
                ranking(1, new Hit("a", 0.9), new Hit("b", 0.8), new Hit("c", 0.7)),
                ranking(1, new Hit("c", 12), new Hit("d", 11), new Hit("b", 3))), Hit::id, 10);

        // b: 1/62 + 1/63, c: 1/63 + 1/61, a: 1/61, d: 1/62
        assertThat(ids(fused)).containsExactly("c", "b", "a", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 62 + 1.0 / 63, within(1e-12));
        assertThat(fused.get(0).item().score()).isEqualTo(0.7); // the first ranking's copy is kept
    }

    @Test
    void rrf_ignores_score_scales_and_honours_weights_and_limit() {
        RankFusion rrf = new ReciprocalRankFusion(60);
        List<RankFusion.Fused<Hit>> unweighted = rrf.fuse(List.of(
                ranking(1, new Hit("a", 1e9), new Hit("b", 1e-9)),
                ranking(1, new Hit("b", 5), new Hit("a", 4))), Hit::id, 10);
        assertThat(unweighted.get(0).score()).isEqualTo(unweighted.get(1).score()); // a tie: ranks only

        List<RankFusion.Fused<Hit>> weighted = rrf.fuse(List.of(
                ranking(1, new Hit("a", 1), new Hit("b", 1)),
                ranking(2, new Hit("b", 1), new Hit("a", 1))), Hit::id, 1);
        assertThat(ids(weighted)).containsExactly("b");
    }

    @Test
    void rrf_rejects_a_non_positive_constant() {
        assertThatThrownBy(() -> new ReciprocalRankFusion(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weighted_fusion_normalises_each_ranking_before_weighting() {
        RankFusion weighted = new WeightedScoreFusion();
        List<RankFusion.Fused<Hit>> fused = weighted.fuse(List.of(
                ranking(0.7, new Hit("a", 0.90), new Hit("b", 0.80), new Hit("c", 0.50)),
                ranking(0.3, new Hit("c", 30.0), new Hit("b", 20.0), new Hit("d", 10.0))), Hit::id, 10);

        // a: 0.7*1, b: 0.7*0.75 + 0.3*0.5, c: 0.7*0 + 0.3*1, d: 0
        assertThat(ids(fused)).containsExactly("a", "b", "c", "d");
        assertThat(fused.get(1).score()).isCloseTo(0.7 * 0.75 + 0.3 * 0.5, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(0.3, within(1e-12));
        assertThat(fused.get(3).score()).isZero();
    }

    @Test
    void weighted_fusion_counts_a_lone_candidate_as_fully_relevant_and_survives_empty_rankings() {
        RankFusion weighted = new WeightedScoreFusion();
        List<RankFusion.Fused<Hit>> fused = weighted.fuse(List.of(
                ranking(0.5, new Hit("a", 0.4)),
                new RankFusion.Ranking<>(List.<Hit>of(), Hit::score, 0.5)), Function.<Hit>identity().andThen(Hit::id), 10);
        assertThat(fused).singleElement().satisfies(f -> assertThat(f.score()).isEqualTo(0.5));
    }
}
