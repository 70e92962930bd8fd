package io.edgerag.api;

import io.edgerag.generation.ChatEvent;
import io.edgerag.retrieval.Passage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseEventsTest {

    @Test
    void should_name_each_chat_event_and_keep_token_whitespace_in_json() {
        assertThat(SseEvents.map(new ChatEvent.Token(" two\nlines"))).isEqualTo(
                new SseEvents.Named("token", "{\"text\":\" two\\nlines\"}"));
        assertThat(SseEvents.map(new ChatEvent.Error("boom")).name()).isEqualTo("error");
    }

    @Test
    void should_send_sources_as_json_array_with_provenance() {
        SseEvents.Named named = SseEvents.map(new ChatEvent.Sources(
                List.of(new Passage("d", "d#0", "t", 0.5, "local", "s", "T", null))));
        assertThat(named.name()).isEqualTo("sources");
        assertThat(named.data()).startsWith("[{").contains("\"chunkId\":\"d#0\"").contains("\"tier\":\"local\"");
    }

    @Test
    void should_report_degraded_and_timings_in_done() {
        SseEvents.Named named = SseEvents.map(new ChatEvent.Done(true, "down", "extractive", 0, 0, 3, null, 5));
        assertThat(named.name()).isEqualTo("done");
        assertThat(named.data()).contains("\"degraded\":true").contains("\"reason\":\"down\"").contains("\"totalMs\":5");
    }

    @Test
    void should_map_tokens_to_openai_chunks() {
        var chunk = OpenAiCompatibleRoutes.chunkFor(new ChatEvent.Token("hi"), "id1", 1, "m");
        assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunk.path("choices").get(0).path("delta").path("content").asText()).isEqualTo("hi");
    }
}
