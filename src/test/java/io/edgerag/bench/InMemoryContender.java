package io.edgerag.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** LangChain4j's {@link InMemoryEmbeddingStore}: brute-force cosine over a Java list. */
final class InMemoryContender implements Contender {

    private InMemoryEmbeddingStore<TextSegment> store;
    private Map<String, Integer> positions;

    @Override
    public String name() {
        return "LangChain4j InMemoryEmbeddingStore";
    }

    @Override
    public void build(float[] base, int n, int d) {
        store = new InMemoryEmbeddingStore<>();
        List<Embedding> embeddings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            System.arraycopy(base, i * d, v, 0, d);
            embeddings.add(Embedding.from(v));
        }
        List<String> ids = store.addAll(embeddings);
        positions = new HashMap<>(n * 2);
        for (int i = 0; i < ids.size(); i++) {
            positions.put(ids.get(i), i);
        }
    }

    @Override
    public long[] search(float[] query, int k) {
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(query)).maxResults(k).build()).matches();
        long[] out = new long[k];
        java.util.Arrays.fill(out, -1);
        for (int i = 0; i < matches.size(); i++) {
            out[i] = positions.get(matches.get(i).embeddingId());
        }
        return out;
    }

    @Override
    public String note() {
        return "exact (brute force, Java)";
    }

    @Override
    public void close() {
        store = null;
        positions = null;
    }
}
