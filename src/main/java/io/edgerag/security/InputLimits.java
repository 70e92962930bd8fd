package io.edgerag.security;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.common.VisibleText;
import io.edgerag.generation.ChatTurn;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Applies {@link LimitsConfig} where requests come in; each refusal is an {@link InvalidRequestException}
 * (400) whose message names the limit and the key that sets it.
 */
@ApplicationScoped
public class InputLimits {

    private final LimitsConfig limits;

    public InputLimits(LimitsConfig limits) {
        this.limits = limits;
    }

    /** A search query or chat question. */
    public void checkQuestion(String what, String text) {
        atMost(what, text, limits.questionLength(), "question-length");
        if (text != null && !text.isBlank() && !VisibleText.hasAny(text)) {
            throw new InvalidRequestException(what + " has no letter, digit or symbol to search for");
        }
    }

    public void checkHistory(List<ChatTurn> history) {
        if (history == null) {
            return;
        }
        if (history.size() > limits.historyTurns()) {
            throw new InvalidRequestException("history has " + history.size() + " turns, the limit is "
                    + limits.historyTurns() + " (edgerag.limits.history-turns)");
        }
        for (int i = 0; i < history.size(); i++) {
            ChatTurn turn = history.get(i);
            if (turn == null || !("user".equals(turn.role()) || "assistant".equals(turn.role()))) {
                throw new InvalidRequestException("history[" + i + "] needs a role of 'user' or 'assistant'");
            }
            // a turn the model could not read would fail the chat later, as an error event after a 200
            if (!VisibleText.hasAny(turn.content())) {
                throw new InvalidRequestException("history[" + i + "] has no text");
            }
            atMost("A history turn", turn.content(), limits.historyTurnLength(), "history-turn-length");
        }
    }

    /** The descriptive fields of a document (its id: {@code io.edgerag.common.DocumentIds}). */
    public void checkDocument(String title, String source, Map<String, String> metadata) {
        atMost("title", title, limits.titleLength(), "title-length");
        atMost("source", source, limits.metadataValueLength(), "metadata-value-length");
        if (metadata == null) {
            return;
        }
        if (metadata.size() > limits.metadataEntries()) {
            throw new InvalidRequestException("metadata has " + metadata.size() + " entries, the limit is "
                    + limits.metadataEntries() + " (edgerag.limits.metadata-entries)");
        }
        metadata.forEach((key, value) -> {
            atMost("A metadata key", key, limits.metadataValueLength(), "metadata-value-length");
            atMost("metadata '" + shortened(key) + "'", value, limits.metadataValueLength(), "metadata-value-length");
        });
    }

    private static void atMost(String what, String text, int limit, String key) {
        if (text != null && text.length() > limit) {
            throw new InvalidRequestException(what + " is " + text.length() + " characters long, the limit is "
                    + limit + " (edgerag.limits." + key + ")");
        }
    }

    private static String shortened(String key) {
        return key == null || key.length() <= 40 ? key : key.substring(0, 40) + "…";
    }
}
