package io.edgerag.retrieval;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.retrieval.fusion.FusionMethod;
import io.edgerag.retrieval.fusion.RankFusion;
import io.edgerag.retrieval.fusion.ReciprocalRankFusion;
import io.edgerag.retrieval.fusion.WeightedScoreFusion;
import io.edgerag.store.local.ChunkHit;
import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.RankedHits;
import io.edgerag.store.local.SearchFilter;
import io.edgerag.store.local.SearchRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * The local store as a retrieval tier, in three modes: by vector similarity (FAISS), by BM25 (Lucene), or
 * both fused. Hybrid asks each index for {@code fusion.depth} candidates (at least k) under the same
 * filter, in one consistent view of the store, and fuses them ({@link ReciprocalRankFusion} by default).
 */
@ApplicationScoped
public class LocalRetrievalTier implements RetrievalTier {

    public static final String NAME = "local";

    private final LocalStore store;
    private final EdgeragConfig.Retrieval.Fusion fusionConfig;
    private final RankFusion rrf;
    private final RankFusion weighted = new WeightedScoreFusion();

    public LocalRetrievalTier(LocalStore store, EdgeragConfig config) {
        this.store = store;
        this.fusionConfig = config.retrieval().fusion();
        this.rrf = new ReciprocalRankFusion(fusionConfig.rrfK());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Vector mode, as the {@link RetrievalTier} contract has it. */
    @Override
    public List<Passage> search(float[] queryVector, int k, String collection, Map<String, String> filter) {
        return search(queryVector, null, RetrievalMode.VECTOR, FusionMethod.RRF, k, SearchFilter.of(collection, filter));
    }

    public List<Passage> search(float[] queryVector, String queryText, RetrievalMode mode, FusionMethod fusion, int k,
                                SearchFilter filter) {
        return search(queryVector, null, queryText, mode, fusion, k, filter);
    }

    /** {@code queryModel}: the embedding model of {@code queryVector}; the store refuses it when it serves another. */
    public List<Passage> search(float[] queryVector, String queryModel, String queryText, RetrievalMode mode,
                                FusionMethod fusion, int k, SearchFilter filter) {
        return switch (mode) {
            case VECTOR -> passages(store.search(queryVector, null, request(k, filter).madeWith(queryModel),
                    RankedHits.Wanted.VECTOR).byVector());
            case KEYWORD -> passages(store.search(queryVector, queryText, request(k, filter).madeWith(queryModel),
                    RankedHits.Wanted.KEYWORD).byKeyword());
            case HYBRID -> hybrid(queryVector, queryModel, queryText, fusion, k, filter);
        };
    }

    private List<Passage> hybrid(float[] queryVector, String queryModel, String queryText, FusionMethod method, int k,
                                 SearchFilter filter) {
        int depth = Math.min(SearchRequest.MAX_K, Math.max(k, fusionConfig.depth()));
        RankedHits hits = store.search(queryVector, queryText, request(depth, filter).madeWith(queryModel), RankedHits.Wanted.BOTH);
        double keywordWeight = method == FusionMethod.WEIGHTED ? fusionConfig.keywordWeight() : 1.0;
        double vectorWeight = method == FusionMethod.WEIGHTED ? 1.0 - fusionConfig.keywordWeight() : 1.0;
        List<RankFusion.Ranking<Passage>> rankings = List.of(
                new RankFusion.Ranking<>(passages(hits.byVector()), Passage::score, vectorWeight),
                new RankFusion.Ranking<>(passages(hits.byKeyword()), p -> p.keywordScore(), keywordWeight));
        RankFusion fusion = method == FusionMethod.WEIGHTED ? weighted : rrf;
        return fusion.fuse(rankings, Passage::chunkId, k).stream()
                .map(f -> withKeywordScore(f.item(), hits.byKeyword()).withFusedScore(f.score()))
                .toList();
    }

    /** A chunk both rankings found is kept as the vector ranking's copy; give it the BM25 score it also earned. */
    private static Passage withKeywordScore(Passage p, List<ChunkHit> byKeyword) {
        if (p.keywordScore() != null) {
            return p;
        }
        for (ChunkHit h : byKeyword) {
            if (h.chunkId().equals(p.chunkId())) {
                return new Passage(p.docId(), p.chunkId(), p.text(), p.score(), p.tier(), p.source(), p.title(),
                        p.collection(), h.keywordScore(), p.fusedScore());
            }
        }
        return p;
    }

    private static SearchRequest request(int k, SearchFilter filter) {
        return new SearchRequest(k, -1.0, filter);
    }

    private static List<Passage> passages(List<ChunkHit> hits) {
        // Chunks synced from another edge's residency-restricted collection carry vectors but no text:
        // nothing to show or cite here, so they never become passages.
        return hits.stream().filter(h -> h.text() != null).map(LocalRetrievalTier::toPassage).toList();
    }

    static Passage toPassage(ChunkHit hit) {
        return new Passage(hit.docId(), hit.chunkId(), hit.text(), hit.score(), NAME, hit.source(), hit.title(),
                hit.collection(), Double.isNaN(hit.keywordScore()) ? null : hit.keywordScore(), null);
    }
}
