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
     * @param prompt         how the prompt was fitted into the context window; null when no prompt was sent
     * @param arm            the model rollout arm that answered ({@code stable} or {@code canary}); null when
     *                       no model was asked (refused for load)
     * @param answerId       what {@code POST /api/feedback} names to rate this answer; null with {@code arm}
     */
    record Done(boolean degraded, String reason, String model, int promptTokens, int completionTokens,
                long retrievalMs, Long firstTokenMs, long totalMs, PromptBudget.Size prompt, String arm,
                String answerId) implements ChatEvent {

        public Done(boolean degraded, String reason, String model, int promptTokens, int completionTokens,
                    long retrievalMs, Long firstTokenMs, long totalMs, PromptBudget.Size prompt) {
            this(degraded, reason, model, promptTokens, completionTokens, retrievalMs, firstTokenMs, totalMs, prompt,
                    null, null);
        }

        public Done(boolean degraded, String reason, String model, int promptTokens, int completionTokens,
                    long retrievalMs, Long firstTokenMs, long totalMs) {
            this(degraded, reason, model, promptTokens, completionTokens, retrievalMs, firstTokenMs, totalMs, null);
        }

        public Done answeredBy(String arm, String answerId) {
            return new Done(degraded, reason, model, promptTokens, completionTokens, retrievalMs, firstTokenMs, totalMs,
                    prompt, arm, answerId);
        }
    }

    record Error(String message) implements ChatEvent {
    }
}
