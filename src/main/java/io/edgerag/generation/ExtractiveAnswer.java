package io.edgerag.generation;

import io.edgerag.retrieval.Passage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The degraded answer when no LLM is available: from each of the best passages, the sentence that
 * shares most words with the question, cited with the passage's number.
 */
public final class ExtractiveAnswer {

    public static final String NOTHING_FOUND = "The language model is unavailable and no local passage matches the question.";
    static final String INTRO = "The language model is unavailable; the most relevant passages say:";

    private static final Set<String> STOP = Set.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "is",
            "are", "was", "what", "how", "why", "who", "when", "where", "which", "does", "do", "for", "with",
            "it", "its", "be", "can", "i", "you", "my", "me", "this", "that", "about", "by", "as", "at");

    private ExtractiveAnswer() {
    }

    public static String build(String question, List<Passage> passages, int maxPassages) {
        if (passages.isEmpty()) {
            return NOTHING_FOUND;
        }
        Set<String> terms = terms(question);
        StringBuilder sb = new StringBuilder(INTRO);
        int n = Math.min(maxPassages, passages.size());
        for (int i = 0; i < n; i++) {
            sb.append("\n- ").append(bestSentence(passages.get(i).text(), terms)).append(" [").append(i + 1).append(']');
        }
        return sb.toString();
    }

    static String bestSentence(String text, Set<String> terms) {
        List<String> sentences = Arrays.stream(text.strip().split("(?<=[.!?])\\s+|\\n+"))
                .map(String::strip).filter(s -> s.length() > 1).toList();
        if (sentences.isEmpty()) {
            return text.strip();
        }
        // first sentence wins ties: stable max over the index
        String best = sentences.get(0);
        long bestScore = overlap(best, terms);
        for (String s : sentences) {
            long score = overlap(s, terms);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return best.replaceFirst("^#+\\s*", "");
    }

    private static long overlap(String sentence, Set<String> terms) {
        return terms(sentence).stream().filter(terms::contains).count();
    }

    static Set<String> terms(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() > 1 && !STOP.contains(w)).collect(Collectors.toSet());
    }

}
