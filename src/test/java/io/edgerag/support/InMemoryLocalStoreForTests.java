package io.edgerag.support;

import io.edgerag.store.local.ChunkHit;
import io.edgerag.store.local.DocumentWrite;
import io.edgerag.store.local.InvalidStoreRequestException;
import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.SearchRequest;
import io.edgerag.store.local.StoredDocument;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exact, in-memory, NOT durable {@link LocalStore} for tests only: brute-force cosine over every
 * chunk. It replaces the main producer (which has no store yet) as a CDI alternative.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryLocalStoreForTests implements LocalStore {

    public static final int DIMENSION = 384;

    private record Entry(StoredDocument doc, List<DocumentWrite.ChunkWrite> chunks) {
    }

    private final Map<String, Entry> docs = new LinkedHashMap<>();
    private long version;

    @Override
    public synchronized StoredDocument upsert(DocumentWrite write) {
        if (write.chunks() == null || write.chunks().isEmpty()) {
            throw new InvalidStoreRequestException("Document has no chunks");
        }
        for (DocumentWrite.ChunkWrite c : write.chunks()) {
            if (c.text() == null || c.text().isBlank()) {
                throw new InvalidStoreRequestException("Empty chunk text in " + c.chunkId());
            }
            if (c.vector() == null || c.vector().length != DIMENSION) {
                throw new InvalidStoreRequestException("Vector of " + c.chunkId() + " is not " + DIMENSION + "-d");
            }
            for (float x : c.vector()) {
                if (!Float.isFinite(x)) {
                    throw new InvalidStoreRequestException("Non-finite vector value in " + c.chunkId());
                }
            }
        }
        StoredDocument doc = new StoredDocument(write.docId(), write.title(), write.source(), write.collection(),
                write.metadata(), write.contentHash(), write.embeddingModel(), write.schemaVersion(),
                write.chunks().size(), ++version, Instant.now());
        docs.put(write.docId(), new Entry(doc, List.copyOf(write.chunks())));
        return doc;
    }

    @Override
    public synchronized boolean delete(String docId) {
        return docs.remove(docId) != null;
    }

    @Override
    public synchronized Optional<StoredDocument> get(String docId) {
        return Optional.ofNullable(docs.get(docId)).map(Entry::doc);
    }

    @Override
    public synchronized List<ChunkHit> search(float[] query, SearchRequest request) {
        if (request.k() < 1 || request.k() > SearchRequest.MAX_K) {
            throw new InvalidStoreRequestException("k out of range: " + request.k());
        }
        if (query.length != DIMENSION) {
            throw new InvalidStoreRequestException("Query is not " + DIMENSION + "-d");
        }
        List<ChunkHit> hits = new ArrayList<>();
        for (Entry e : docs.values()) {
            StoredDocument d = e.doc();
            if (request.collection() != null && !request.collection().equals(d.collection())) {
                continue;
            }
            if (!request.metadataEquals().entrySet().stream()
                    .allMatch(m -> m.getValue().equals(d.metadata().get(m.getKey())))) {
                continue;
            }
            for (DocumentWrite.ChunkWrite c : e.chunks()) {
                double score = cosine(query, c.vector());
                if (score >= request.minScore()) {
                    hits.add(new ChunkHit(d.docId(), c.chunkId(), c.text(), score, d.title(), d.source(),
                            d.collection(), d.metadata()));
                }
            }
        }
        hits.sort(Comparator.comparingDouble(ChunkHit::score).reversed());
        return hits.subList(0, Math.min(request.k(), hits.size()));
    }

    @Override
    public synchronized long chunkCount() {
        return docs.values().stream().mapToLong(e -> e.chunks().size()).sum();
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    public synchronized void clear() {
        docs.clear();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
