package io.edgerag.retrieval;

import java.util.List;

/** What the cloud tier gave one query: its passages (empty unless {@code USED}) and why. */
public record CloudAnswer(List<Passage> passages, CloudStatus status) {

    public static CloudAnswer without(CloudStatus status) {
        return new CloudAnswer(List.of(), status);
    }
}
