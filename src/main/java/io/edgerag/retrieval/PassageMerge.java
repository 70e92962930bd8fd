package io.edgerag.retrieval;

import io.edgerag.retrieval.fusion.RankFusion;
import io.edgerag.retrieval.fusion.ReciprocalRankFusion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Local and cloud passages as one list: one passage per chunkId (the local copy wins), best first, k at most. */
final class PassageMerge {

    private PassageMerge() {
    }

    static List<Passage> merge(List<Passage> local, List<Passage> cloud, int k) {
        Map<String, Passage> byChunk = new LinkedHashMap<>();
        local.forEach(p -> byChunk.putIfAbsent(p.chunkId(), p));
        // the local copy is the one this edge can vouch for (and the one its own deletes reach first)
        cloud.forEach(p -> byChunk.putIfAbsent(p.chunkId(), p));
        List<Passage> merged = new ArrayList<>(byChunk.values());
        merged.sort(Comparator.comparingDouble(Passage::score).reversed());
        return merged.size() > k ? List.copyOf(merged.subList(0, k)) : List.copyOf(merged);
    }

    /**
     * One passage per chunkId (the local copy wins), ordered by reciprocal rank over the local and the
     * cloud ranking: for local rankings that are not by cosine (keyword, hybrid). Equal ranks (the local
     * and the cloud first, second, ...) go to the higher cosine: the cloud was asked because the local
     * passages were not similar enough, so where ranks cannot tell, similarity does.
     */
    static List<Passage> mergeByRank(List<Passage> local, List<Passage> cloud, int k) {
        List<RankFusion.Fused<Passage>> fused = new ArrayList<>(RANKS.fuse(List.of(
                new RankFusion.Ranking<>(local, Passage::score, 1.0),
                new RankFusion.Ranking<>(cloud, Passage::score, 1.0)), Passage::chunkId, Integer.MAX_VALUE));
        fused.sort(Comparator.comparingDouble((RankFusion.Fused<Passage> f) -> f.score()).reversed()
                .thenComparing(Comparator.comparingDouble((RankFusion.Fused<Passage> f) -> f.item().score()).reversed()));
        return fused.stream().limit(k).map(RankFusion.Fused::item).toList();
    }

    private static final RankFusion RANKS = new ReciprocalRankFusion(ReciprocalRankFusion.DEFAULT_K);

    /** {@code local}, {@code cloud}, or {@code local+cloud}: which tiers the passages came from. */
    static String tiers(List<Passage> passages) {
        boolean local = passages.stream().anyMatch(p -> LocalRetrievalTier.NAME.equals(p.tier()));
        boolean cloud = passages.stream().anyMatch(p -> CloudRetrievalTier.NAME.equals(p.tier()));
        return cloud ? (local ? LocalRetrievalTier.NAME + "+" + CloudRetrievalTier.NAME : CloudRetrievalTier.NAME)
                : LocalRetrievalTier.NAME;
    }
}
