package io.edgerag.generation;

import io.edgerag.retrieval.Passage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExtractiveAnswerTest {

    private static Passage passage(String text) {
        return new Passage("d", "d#0", text, 0.8, "local", null, null, null);
    }

    @Test
    void should_quote_the_sentence_sharing_most_words_with_the_question_and_cite_it() {
        String answer = ExtractiveAnswer.build("How fast do cheetahs run?", List.of(
                passage("Cheetahs live in Africa. Cheetahs run at up to 100 km/h. They hunt by day."),
                passage("Lions live in prides.")), 3);

        assertThat(answer).startsWith(ExtractiveAnswer.INTRO)
                .contains("- Cheetahs run at up to 100 km/h. [1]")
                .contains("- Lions live in prides. [2]");
    }

    @Test
    void should_quote_at_most_the_configured_number_of_passages() {
        String answer = ExtractiveAnswer.build("q", List.of(passage("A."), passage("B."), passage("C.")), 2);
        assertThat(answer).contains("[1]").contains("[2]").doesNotContain("[3]");
    }

    @Test
    void should_say_nothing_matched_when_there_are_no_passages() {
        assertThat(ExtractiveAnswer.build("q", List.of(), 3)).isEqualTo(ExtractiveAnswer.NOTHING_FOUND);
    }

    @Test
    void should_strip_markdown_heading_marks_from_quoted_sentence() {
        assertThat(ExtractiveAnswer.build("degraded mode", List.of(passage("# Degraded mode")), 1))
                .contains("- Degraded mode [1]");
    }
}
