package io.edgerag.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SciFactMetricsTest {

    @Test
    void should_give_ndcg_one_when_every_relevant_document_leads_the_ranking() {
        assertThat(SciFact.ndcgAt(10, List.of("a", "b", "x"), Set.of("a", "b"))).isEqualTo(1.0, within(1e-12));
    }

    @Test
    void should_discount_a_relevant_document_by_log2_of_its_rank() {
        // one relevant document at rank 2: DCG = 1/log2(3), IDCG = 1
        assertThat(SciFact.ndcgAt(10, List.of("x", "a"), Set.of("a"))).isEqualTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
    }

    @Test
    void should_ignore_relevant_documents_below_the_cut() {
        assertThat(SciFact.ndcgAt(1, List.of("x", "a"), Set.of("a"))).isZero();
        assertThat(SciFact.recallAt(1, List.of("x", "a"), Set.of("a"))).isZero();
        assertThat(SciFact.recallAt(2, List.of("x", "a"), Set.of("a", "b"))).isEqualTo(0.5);
    }
}
