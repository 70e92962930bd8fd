package io.edgerag.generation;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.edgerag.retrieval.Passage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromptBuilderTest {

    private static Passage passage(String id, String title, String text) {
        return new Passage(id, id + "#0", text, 0.9, "local", null, title, null);
    }

    @Test
    void should_number_passages_in_rank_order_and_ask_for_citations() {
        String prompt = PromptBuilder.userMessage("Why is the sky blue?",
                List.of(passage("a", "Optics", "Rayleigh scattering."), passage("b", null, "Short waves scatter more.")));

        assertThat(prompt).contains("[1] (Optics) Rayleigh scattering.").contains("[2] Short waves scatter more.")
                .contains("Question: Why is the sky blue?").contains("citations like [1]");
        assertThat(prompt.indexOf("[1]")).isLessThan(prompt.indexOf("[2]"));
        assertThat(PromptBuilder.SYSTEM).contains("[1], [2]").contains("do not know");
    }

    @Test
    void should_say_when_no_passage_was_found() {
        assertThat(PromptBuilder.userMessage("q", List.of())).contains("No passages were found");
    }

    @Test
    void should_put_system_then_history_then_grounded_question() {
        List<ChatMessage> messages = PromptBuilder.build("and now?", List.of(passage("a", "T", "x")),
                List.of(new ChatTurn("user", "hi"), new ChatTurn("assistant", "hello"), new ChatTurn("user", " ")));

        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).isInstanceOf(SystemMessage.class);
        assertThat(((UserMessage) messages.get(1)).singleText()).isEqualTo("hi");
        assertThat(((AiMessage) messages.get(2)).text()).isEqualTo("hello");
        assertThat(((UserMessage) messages.get(3)).singleText()).contains("[1] (T) x").contains("and now?");
    }
}
