package io.edgerag.generation;

import io.edgerag.retrieval.Passage;

import java.util.List;

/** What a chat produces, in order: {@link Sources}, any number of {@link Token}s, then {@link Done} or {@link Error}. */
public sealed interface ChatEvent {

    record Sources(List<Passage> passages) implements ChatEvent {
    }

    record Token(String text) implements ChatEvent {
    }

    /**
     * @param degraded       true when the answer is extractive (Ollama unreachable, failing or circuit open)
     * @param reason         why it is degraded; null when not
     * @param firstTokenMs   time from request to first token, null when no token came
     */
    record Done(boolean degraded, String reason, String model, int promptTokens, int completionTokens,
                long retrievalMs, Long firstTokenMs, long totalMs) implements ChatEvent {
    }

    record Error(String message) implements ChatEvent {
    }
}
