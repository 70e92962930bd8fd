package io.edgerag.generation;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.retrieval.Passage;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a prompt into the model's context window: the system text and the question always; then the
 * passages best first, as many as fit (the first one cut to fit when even it does not); then the newest
 * history turns that still fit. Grounding comes before conversation: a turn is dropped before a passage.
 *
 * <p>Tokens are estimated, not counted: the chat model's tokenizer lives in Ollama. One token per
 * {@value #CHARS_PER_TOKEN} characters is on the safe side of Llama-family BPE on English (about 4) and
 * of most other languages written in Latin script; {@value #PER_MESSAGE} tokens per message cover the template.
 */
public final class PromptBudget {

    static final double CHARS_PER_TOKEN = 3.5;
    static final int PER_MESSAGE = 4;
    /** Below this many tokens a cut passage is not worth sending. */
    static final int MIN_CUT_PASSAGE = 32;

    /** What goes to the model and what was left out, for the {@code done} event. */
    public record Prompt(List<ChatMessage> messages, List<Passage> passages, Size size) {
    }

    /**
     * @param estimatedTokens the prompt's estimated size
     * @param contextWindow   the model's window ({@code num_ctx})
     * @param passagesLeftOut retrieved passages that did not fit (the last kept one may be cut: {@code passageCut})
     * @param historyTurnsLeftOut oldest turns that did not fit
     */
    public record Size(int estimatedTokens, int contextWindow, int passages, int passagesLeftOut,
                       boolean passageCut, int historyTurns, int historyTurnsLeftOut) {
    }

    private final int contextWindow;
    private final int answerTokens;

    public PromptBudget(int contextWindow, int answerTokens) {
        if (contextWindow <= answerTokens + 256) {
            throw new IllegalArgumentException("edgerag.generation.context-window (" + contextWindow
                    + ") must exceed answer-tokens (" + answerTokens + ") by at least 256");
        }
        this.contextWindow = contextWindow;
        this.answerTokens = answerTokens;
    }

    public int contextWindow() {
        return contextWindow;
    }

    public int answerTokens() {
        return answerTokens;
    }

    public static int estimate(String text) {
        return text == null ? 0 : (int) Math.ceil(text.length() / CHARS_PER_TOKEN);
    }

    /** Refuses (400, before any streaming) a question that alone leaves no room for a passage. */
    public void checkQuestion(String question) {
        int fixed = fixedCost(question);
        if (fixed + MIN_CUT_PASSAGE > contextWindow - answerTokens) {
            throw new InvalidRequestException("Question is too long: about " + estimate(question)
                    + " tokens, the model's context window (edgerag.generation.context-window) is " + contextWindow
                    + " tokens including " + answerTokens + " for the answer");
        }
    }

    private static int fixedCost(String question) {
        return estimate(PromptBuilder.SYSTEM) + estimate(PromptBuilder.userMessage(question, List.of())) + 2 * PER_MESSAGE;
    }

    public Prompt fit(String question, List<Passage> passages, List<ChatTurn> history) {
        int budget = contextWindow - answerTokens;
        int used = fixedCost(question);
        List<Passage> kept = new ArrayList<>();
        boolean cut = false;
        for (int i = 0; i < passages.size(); i++) {
            Passage p = passages.get(i);
            int cost = estimate(PromptBuilder.passageEntry(i + 1, p));
            if (used + cost <= budget) {
                kept.add(p);
                used += cost;
                continue;
            }
            int room = budget - used - estimate(PromptBuilder.passageEntry(i + 1, p.withText(""))) - 2;
            if (kept.isEmpty() && room >= MIN_CUT_PASSAGE) {
                Passage shortened = p.withText(p.text().strip().substring(0,
                        Math.min(p.text().strip().length(), (int) (room * CHARS_PER_TOKEN))) + "…");
                kept.add(shortened);
                used += estimate(PromptBuilder.passageEntry(i + 1, shortened));
                cut = true;
            }
            break;
        }
        List<ChatTurn> turns = history == null ? List.of() : history.stream()
                .filter(t -> t != null && t.content() != null && !t.content().isBlank()).toList();
        int firstTurn = turns.size();
        while (firstTurn > 0) {
            int cost = estimate(turns.get(firstTurn - 1).content()) + PER_MESSAGE;
            if (used + cost > budget) {
                break;
            }
            used += cost;
            firstTurn--;
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(PromptBuilder.SYSTEM));
        for (ChatTurn turn : turns.subList(firstTurn, turns.size())) {
            messages.add("assistant".equalsIgnoreCase(turn.role()) ? AiMessage.from(turn.content())
                    : UserMessage.from(turn.content()));
        }
        messages.add(UserMessage.from(PromptBuilder.userMessage(question, kept)));
        return new Prompt(messages, List.copyOf(kept), new Size(used, contextWindow, kept.size(),
                passages.size() - kept.size(), cut, turns.size() - firstTurn, firstTurn));
    }
}
