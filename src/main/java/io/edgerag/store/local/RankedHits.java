package io.edgerag.store.local;

import java.util.List;

/**
 * The two rankings of one local search, taken from one consistent view of the store (a write is in both
 * or in neither): by cosine similarity and by BM25. Either is empty when the search did not ask for it.
 */
public record RankedHits(List<ChunkHit> byVector, List<ChunkHit> byKeyword) {

    /** Which rankings a search asks for. */
    public enum Wanted {
        VECTOR, KEYWORD, BOTH;

        boolean vector() {
            return this != KEYWORD;
        }

        boolean keyword() {
            return this != VECTOR;
        }
    }
}
