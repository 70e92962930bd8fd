package io.edgerag.store.local;

import io.edgerag.store.local.StoreRecords.PositionInfo;
import java.util.List;
import java.util.Optional;

/**
 * The keyword (BM25) side of the local store: a rebuildable cache of the chunk texts in SQLite, keyed by
 * the same positions as the {@link VectorIndex}. {@link DurableVectorStore} keeps the two in step: it
 * adds and deletes under its write lock right after the SQLite commit, records a {@link Checkpoint} with
 * every snapshot, and on open replays from SQLite whatever the last checkpoint does not cover.
 *
 * <p>Implementations must make every add/delete visible to the next {@link #search} without a commit,
 * and may be called concurrently by searches (never by two writers).
 */
public interface KeywordIndex extends AutoCloseable {

    /** A chunk to index: its text is what gets analysed (title and chunk text), {@code info} feeds the filters. */
    record Entry(long position, String text, PositionInfo info) {
    }

    record Hit(long position, float score) {
    }

    /** What a durable commit covers: positions {@code 0..nextPosition-1} of store generation {@code generation}. */
    record Checkpoint(long generation, long nextPosition) {
    }

    /** The last durable checkpoint, empty for a new or unreadable index (then the store rebuilds it). */
    Optional<Checkpoint> checkpoint();

    void add(List<Entry> entries);

    void delete(long[] positions);

    /** Drops every position at or above {@code position} (what a checkpoint does not cover). */
    void deleteFrom(long position);

    /** Drops everything (before a rebuild from SQLite). */
    void clear();

    /** Top {@code k} positions by BM25 among those passing {@code filter}; empty when no term of {@code text} survives analysis. */
    List<Hit> search(String text, int k, SearchFilter filter);

    /** Chunks in the index now (deleted ones excluded): equals the store's live chunks with text. */
    long liveCount();

    /** Makes everything added/deleted so far durable, recorded as {@code checkpoint}. */
    void commit(Checkpoint checkpoint);

    @Override
    void close();
}
