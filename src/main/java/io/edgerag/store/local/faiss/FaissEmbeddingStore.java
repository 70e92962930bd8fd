package io.edgerag.store.local.faiss;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.langchain4j.store.embedding.filter.Filter;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.InvalidStoreRequestException;
import io.edgerag.store.local.StoreRecords.ChunkMatch;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.Delete;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.Upsert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * LangChain4j {@link EmbeddingStore} over the durable local store: each embedding id is one
 * document with one chunk (chunkId = docId = embedding id) in the store's {@code collection}, so the
 * same engine, durability, recovery and compaction serve both. Adding an existing id replaces it.
 *
 * <p>Scores follow LangChain4j: {@code score = (cosine + 1) / 2} ({@link RelevanceScore}), and
 * {@code minScore} is on that scale. Metadata filters ({@link Filter#test}) run inside the index
 * search, before the top-k cut. Every write is durable when the call returns.
 */
public final class FaissEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {

    public static final String DEFAULT_COLLECTION = "langchain4j";

    private final DurableVectorStore engine;
    private final String collection;
    private final boolean ownsEngine;

    /** Shares {@code engine} (not closed by {@link #close()}); entries live in {@code collection}. */
    public FaissEmbeddingStore(DurableVectorStore engine, String collection) {
        this(engine, collection, false);
    }

    private FaissEmbeddingStore(DurableVectorStore engine, String collection, boolean ownsEngine) {
        if (engine == null) {
            throw new IllegalArgumentException("engine is required");
        }
        this.engine = engine;
        this.collection = collection == null ? DEFAULT_COLLECTION : collection;
        this.ownsEngine = ownsEngine;
    }

    /** A store that owns its engine and closes it with {@link #close()}. */
    public static FaissEmbeddingStore owning(DurableVectorStore engine) {
        return new FaissEmbeddingStore(engine, DEFAULT_COLLECTION, true);
    }

    public DurableVectorStore engine() {
        return engine;
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(requireId(id)), List.of(requireEmbedding(embedding)), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment textSegment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(requireEmbedding(embedding)), textSegment == null ? null : List.of(textSegment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings == null ? 0 : embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings, List<TextSegment> embedded) {
        List<String> ids = generateIds(embeddings == null ? 0 : embeddings.size());
        addAll(ids, embeddings, embedded);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> embedded) {
        if (ids == null || embeddings == null) {
            throw new InvalidStoreRequestException("ids and embeddings are required");
        }
        if (ids.size() != embeddings.size() || (embedded != null && embedded.size() != embeddings.size())) {
            throw new InvalidStoreRequestException("ids, embeddings and embedded must have the same size");
        }
        List<Mutation> batch = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = requireId(ids.get(i));
            Embedding embedding = requireEmbedding(embeddings.get(i));
            TextSegment segment = embedded == null ? null : embedded.get(i);
            String text = segment == null ? null : segment.text();
            Map<String, Object> metadata = segment == null ? null : segment.metadata().toMap();
            ChunkRecord chunk = new ChunkRecord(id, text, metadata, embedding.vector());
            batch.add(new Upsert(new DocumentRecord(id, null, null, collection, Map.of(), null, null, 0, List.of(chunk))));
        }
        engine.apply(batch);
    }

    @Override
    public void remove(String id) {
        engine.apply(List.of(new Delete(requireId(id), collection)));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new InvalidStoreRequestException("ids must not be empty");
        }
        List<Mutation> batch = new ArrayList<>(ids.size());
        for (String id : ids) {
            batch.add(new Delete(requireId(id), collection));
        }
        engine.apply(batch);
    }

    @Override
    public void removeAll(Filter filter) {
        if (filter == null) {
            throw new InvalidStoreRequestException("filter must not be null");
        }
        deleteAll(engine.docIds(collection, info -> filter.test(info.lc4jMetadata())));
    }

    @Override
    public void removeAll() {
        deleteAll(engine.docIds(collection, null));
    }

    private void deleteAll(List<String> ids) {
        List<Mutation> batch = new ArrayList<>(ids.size());
        for (String id : ids) {
            batch.add(new Delete(id, collection));
        }
        engine.apply(batch);
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        if (request == null || request.queryEmbedding() == null) {
            throw new InvalidStoreRequestException("search request with a query embedding is required");
        }
        Filter filter = request.filter();
        double minCosine = 2 * request.minScore() - 1;
        List<ChunkMatch> matches = engine.searchChunks(request.queryEmbedding().vector(), request.maxResults(),
                minCosine, collection, filter == null ? null : info -> filter.test(info.lc4jMetadata()));
        List<EmbeddingMatch<TextSegment>> out = new ArrayList<>(matches.size());
        for (ChunkMatch m : matches) {
            TextSegment segment = m.text() == null ? null : TextSegment.from(m.text(), new Metadata(m.metadata()));
            out.add(new EmbeddingMatch<>(RelevanceScore.fromCosineSimilarity(m.cosine()), m.chunkId(),
                    Embedding.from(m.vector()), segment));
        }
        return new EmbeddingSearchResult<>(out);
    }

    @Override
    public void close() {
        if (ownsEngine) {
            engine.close();
        }
    }

    private static String requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidStoreRequestException("embedding id must not be empty");
        }
        return id;
    }

    private static Embedding requireEmbedding(Embedding embedding) {
        if (embedding == null) {
            throw new InvalidStoreRequestException("embedding must not be null");
        }
        return embedding;
    }
}
