package io.edgerag.retrieval;

import io.edgerag.store.local.ChunkHit;
import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.SearchRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** The local store as a retrieval tier. */
@ApplicationScoped
public class LocalRetrievalTier implements RetrievalTier {

    public static final String NAME = "local";

    private final LocalStore store;

    public LocalRetrievalTier(LocalStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Passage> search(float[] queryVector, int k, String collection, Map<String, String> filter) {
        List<ChunkHit> hits = store.search(queryVector,
                new SearchRequest(k, -1.0, collection, filter == null ? Map.of() : Map.copyOf(filter)));
        // Chunks synced from another edge's residency-restricted collection carry vectors but no text:
        // nothing to show or cite here, so they never become passages.
        return hits.stream().filter(h -> h.text() != null).map(LocalRetrievalTier::toPassage).toList();
    }

    static Passage toPassage(ChunkHit hit) {
        return new Passage(hit.docId(), hit.chunkId(), hit.text(), hit.score(), NAME, hit.source(), hit.title(),
                hit.collection());
    }
}
