package io.edgerag.generation.canary;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The arm of each recent answer, so feedback is counted for the arm that really answered (the client
 * only names the answer). Bounded: the oldest answers drop out; feedback on them is refused as unknown.
 * One vote per answer (a second replaces nothing and is refused), so a client cannot stuff an arm.
 */
@ApplicationScoped
public class AnswerLedger {

    public static final int CAPACITY = 10_000;

    private record Entry(String arm, boolean rated) {
    }

    private final Map<String, Entry> recent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized String record(String arm) {
        String id = "ans-" + UUID.randomUUID();
        recent.put(id, new Entry(arm, false));
        return id;
    }

    public enum Status { COUNTED, UNKNOWN, ALREADY_RATED }

    /** The outcome of a rating and, when {@code COUNTED}, the arm to count it for. */
    public record Rating(Status status, String arm) {
    }

    public synchronized Rating rate(String answerId) {
        Entry e = answerId == null ? null : recent.get(answerId);
        if (e == null) {
            return new Rating(Status.UNKNOWN, null);
        }
        if (e.rated()) {
            return new Rating(Status.ALREADY_RATED, e.arm());
        }
        recent.put(answerId, new Entry(e.arm(), true));
        return new Rating(Status.COUNTED, e.arm());
    }
}
