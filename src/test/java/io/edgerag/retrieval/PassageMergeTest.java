package io.edgerag.retrieval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PassageMergeTest {

    private static Passage p(String chunkId, double score, String tier) {
        return new Passage(chunkId.split("#")[0], chunkId, "text of " + chunkId + " from " + tier, score, tier, null,
                null, "c");
    }

    @Test
    void should_keep_the_local_copy_of_a_chunk_both_tiers_returned() {
        List<Passage> merged = PassageMerge.merge(List.of(p("a#0", 0.5, "local")),
                List.of(p("a#0", 0.9, "cloud"), p("b#0", 0.6, "cloud")), 5);

        assertThat(merged).extracting(Passage::chunkId).containsExactly("b#0", "a#0");
        assertThat(merged.get(1).tier()).isEqualTo("local");
        assertThat(merged.get(1).score()).isEqualTo(0.5);
    }

    @Test
    void should_order_by_score_across_tiers_and_cut_at_k() {
        List<Passage> merged = PassageMerge.merge(List.of(p("l1#0", 0.55, "local"), p("l2#0", 0.30, "local")),
                List.of(p("c1#0", 0.80, "cloud"), p("c2#0", 0.40, "cloud")), 3);

        assertThat(merged).extracting(Passage::chunkId).containsExactly("c1#0", "l1#0", "c2#0");
    }

    @Test
    void should_merge_a_fused_local_ranking_with_the_cloud_by_rank_breaking_ties_by_similarity() {
        // local order is a fused one (l1 ranks first although its cosine is lower than l2's)
        List<Passage> merged = PassageMerge.mergeByRank(
                List.of(p("l1#0", 0.35, "local"), p("l2#0", 0.50, "local"), p("both#0", 0.20, "local")),
                List.of(p("c1#0", 0.70, "cloud"), p("both#0", 0.90, "cloud"), p("c3#0", 0.10, "cloud")), 4);

        // both#0: 1/63 + 1/62 beats every single rank; then rank 1 of each (cloud first: higher cosine), then l2
        assertThat(merged).extracting(Passage::chunkId).containsExactly("both#0", "c1#0", "l1#0", "l2#0");
        assertThat(merged.get(0).tier()).isEqualTo("local");
    }

    @Test
    void should_name_the_tiers_the_passages_came_from() {
        assertThat(PassageMerge.tiers(List.of(p("a#0", 1, "local")))).isEqualTo("local");
        assertThat(PassageMerge.tiers(List.of(p("a#0", 1, "cloud")))).isEqualTo("cloud");
        assertThat(PassageMerge.tiers(List.of(p("a#0", 1, "cloud"), p("b#0", 1, "local")))).isEqualTo("local+cloud");
        assertThat(PassageMerge.tiers(List.of())).isEqualTo("local");
    }
}
