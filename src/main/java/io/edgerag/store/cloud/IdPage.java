package io.edgerag.store.cloud;

import java.util.List;
import java.util.Optional;

/** One page of ids; {@code nextPageToken} is empty on the last page. */
public record IdPage(List<String> ids, Optional<String> nextPageToken) {

    public IdPage {
        ids = List.copyOf(ids);
        nextPageToken = nextPageToken.filter(t -> !t.isEmpty());
    }
}
