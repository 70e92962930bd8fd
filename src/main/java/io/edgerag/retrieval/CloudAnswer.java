package io.edgerag.retrieval;

import java.util.Comparator;
import java.util.List;

/** What the cloud tier gave one query: its passages (empty unless {@code USED}) and why. */
public record CloudAnswer(List<Passage> passages, CloudStatus status) {

    public static CloudAnswer without(CloudStatus status) {
        return new CloudAnswer(List.of(), status);
    }

    /**
     * The answers of several namespaces as one: the best {@code k} passages by cosine; {@code USED} when
     * any namespace answered, else the first namespace's reason (all share one budget and one breaker).
     */
    static CloudAnswer combine(List<CloudAnswer> answers, int k) {
        List<Passage> best = answers.stream().flatMap(a -> a.passages().stream())
                .sorted(Comparator.comparingDouble(Passage::score).reversed()).limit(k).toList();
        CloudStatus status = answers.stream().anyMatch(a -> a.status() == CloudStatus.USED) ? CloudStatus.USED
                : answers.isEmpty() ? CloudStatus.SKIPPED : answers.get(0).status();
        return new CloudAnswer(best, status);
    }
}
