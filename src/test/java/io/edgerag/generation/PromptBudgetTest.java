package io.edgerag.generation;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.retrieval.Passage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptBudgetTest {

    private static Passage passage(String id, int chars, double score) {
        return new Passage(id, id + "#0", "x".repeat(chars - 1) + ".", score, "local", null, null, null);
    }

    private static String lastUser(List<ChatMessage> messages) {
        return ((UserMessage) messages.get(messages.size() - 1)).singleText();
    }

    @Test
    void should_keep_every_passage_and_turn_when_they_fit() {
        PromptBudget budget = new PromptBudget(4096, 512);
        List<Passage> passages = List.of(passage("a", 400, 0.9), passage("b", 400, 0.8));
        List<ChatTurn> history = List.of(new ChatTurn("user", "hello"), new ChatTurn("assistant", "hi"));

        PromptBudget.Prompt prompt = budget.fit("what?", passages, history);

        assertThat(prompt.passages()).extracting(Passage::docId).containsExactly("a", "b");
        assertThat(prompt.messages()).hasSize(4);
        assertThat(prompt.size().passagesLeftOut()).isZero();
        assertThat(prompt.size().historyTurnsLeftOut()).isZero();
        assertThat(prompt.size().contextWindow()).isEqualTo(4096);
        assertThat(prompt.size().estimatedTokens()).isBetween(
                PromptBudget.estimate(PromptBuilder.SYSTEM) + 2 * 400 / 4, 4096 - 512);
    }

    @Test
    void should_keep_the_best_passages_that_fit_and_leave_out_the_rest() {
        PromptBudget budget = new PromptBudget(1024, 256);   // room for about 2 passages of 1000 chars
        List<Passage> passages = List.of(passage("best", 1000, 0.9), passage("second", 1000, 0.8),
                passage("third", 1000, 0.7), passage("fourth", 100, 0.6));

        PromptBudget.Prompt prompt = budget.fit("what?", passages, List.of());

        // the fourth is small enough to fit, but a prompt skipping the third would renumber the citations
        assertThat(prompt.passages()).extracting(Passage::docId).containsExactly("best", "second");
        assertThat(prompt.size().passagesLeftOut()).isEqualTo(2);
        assertThat(prompt.size().estimatedTokens()).isLessThanOrEqualTo(1024 - 256);
        assertThat(lastUser(prompt.messages())).contains("<passage n=\"1\">\nxxx").contains("<passage n=\"2\">\nxxx").doesNotContain("<passage n=\"3\"");
    }

    @Test
    void should_cut_the_best_passage_when_even_it_does_not_fit() {
        PromptBudget budget = new PromptBudget(1024, 256);
        PromptBudget.Prompt prompt = budget.fit("what?", List.of(passage("huge", 20_000, 0.9)), List.of());

        assertThat(prompt.passages()).hasSize(1);
        assertThat(prompt.passages().get(0).text()).endsWith("…").hasSizeLessThan(20_000);
        assertThat(prompt.size().passageCut()).isTrue();
        assertThat(prompt.size().estimatedTokens()).isLessThanOrEqualTo(1024 - 256);
    }

    @Test
    void should_drop_the_oldest_turns_first_when_history_does_not_fit() {
        PromptBudget budget = new PromptBudget(1024, 256);
        List<ChatTurn> history = List.of(new ChatTurn("user", "old " + "y".repeat(1500)),
                new ChatTurn("assistant", "older answer " + "z".repeat(2000)),
                new ChatTurn("user", "recent question"), new ChatTurn("assistant", "recent answer"));

        PromptBudget.Prompt prompt = budget.fit("what?", List.of(passage("a", 400, 0.9)), history);

        assertThat(prompt.passages()).hasSize(1);
        assertThat(prompt.size().historyTurnsLeftOut()).isEqualTo(2);
        assertThat(prompt.size().historyTurns()).isEqualTo(2);
        assertThat(prompt.messages().get(1)).isEqualTo(UserMessage.from("recent question"));
        assertThat(prompt.messages().get(2)).isEqualTo(AiMessage.from("recent answer"));
        assertThat(prompt.size().estimatedTokens()).isLessThanOrEqualTo(1024 - 256);
    }

    @Test
    void should_refuse_a_question_that_leaves_no_room_for_a_passage() {
        PromptBudget budget = new PromptBudget(1024, 256);
        budget.checkQuestion("a short question");
        assertThatThrownBy(() -> budget.checkQuestion("q".repeat(4000)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("context-window");
    }
}
