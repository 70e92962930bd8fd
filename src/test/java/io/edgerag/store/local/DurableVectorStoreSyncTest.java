package io.edgerag.store.local;

import static io.edgerag.store.local.StoreFixtures.DIM;
import static io.edgerag.store.local.StoreFixtures.text;
import static io.edgerag.store.local.StoreFixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.Delete;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.MutationResult;
import io.edgerag.store.local.StoreRecords.OutboxEntry;
import io.edgerag.store.local.StoreRecords.Upsert;
import io.edgerag.sync.HybridLogicalClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's side of sync: versions, the outbox in the write transaction, remote apply under the conflict rule. */
class DurableVectorStoreSyncTest {

    private static final String NODE = "n1";
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    /** The wall clock every store of a test reads; starts at the real time. */
    private final AtomicLong wall = new AtomicLong(System.currentTimeMillis());
    private final List<DurableVectorStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(DurableVectorStore::close);
    }

    private StoreConfig.Builder config(boolean outbox, long maxBytes) {
        return StoreFixtures.config(dir, "Flat").nodeId(NODE).outbox(outbox, maxBytes);
    }

    private DurableVectorStore open(StoreConfig.Builder config) {
        DurableVectorStore s = DurableVectorStore.open(config.build(), TestIndexes.factory(), new HybridLogicalClock(wall::get));
        opened.add(s);
        return s;
    }

    private DurableVectorStore reopen(DurableVectorStore s, StoreConfig.Builder config) {
        s.close();
        opened.remove(s);
        return open(config);
    }

    private static DocumentRecord record(String docId, int generation, int chunks) {
        DocumentWrite w = StoreFixtures.doc(docId, generation, chunks, "coll", Map.of("lang", "en"));
        return new DocumentRecord(w.docId(), w.title(), w.source(), w.collection(), w.metadata(), w.contentHash(),
                w.embeddingModel(), w.schemaVersion(),
                w.chunks().stream().map(c -> new ChunkRecord(c.chunkId(), c.text(), null, c.vector())).toList());
    }

    private static Version upsertLocal(DurableVectorStore s, String docId, int generation) {
        return s.upsert(StoreFixtures.doc(docId, generation, 2)).version();
    }

    private static MutationResult applyRemote(DurableVectorStore s, Mutation m) {
        List<MutationResult> results = s.apply(List.of(m));
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    /** Text of the nearest chunk to chunk 0 of {@code docId} at {@code generation}, or null when there is none of that doc. */
    private static String nearestTextOf(DurableVectorStore s, String docId, int generation) {
        return s.search(vector(docId, generation, 0), SearchRequest.topK(5)).stream()
                .filter(h -> h.docId().equals(docId)).map(ChunkHit::text).findFirst().orElse(null);
    }

    private static Version remote(long physicalMillis, int logical, String node) {
        return new Version(HybridLogicalClock.of(physicalMillis, logical), node);
    }

    // ---- outbox of local writes ---------------------------------------------------------------

    @Test
    void every_local_write_puts_exactly_one_outbox_entry_in_write_order_with_the_version_returned() {
        DurableVectorStore s = open(config(true, 0));

        Version a1 = upsertLocal(s, "a", 1);
        Version b1 = upsertLocal(s, "b", 1);
        assertThat(s.delete("a")).isTrue();
        Version aDeleted = s.versionOf("a").orElseThrow().version();
        Version a2 = upsertLocal(s, "a", 2);
        assertThat(s.delete("never-written")).isFalse(); // nothing changed: nothing to publish

        List<OutboxEntry> pending = s.pendingChanges(100);
        assertThat(pending).extracting(OutboxEntry::docId).containsExactly("a", "b", "a", "a");
        assertThat(pending).extracting(OutboxEntry::type)
                .containsExactly(ChangeType.UPSERT, ChangeType.UPSERT, ChangeType.DELETE, ChangeType.UPSERT);
        assertThat(pending).extracting(OutboxEntry::version).containsExactly(a1, b1, aDeleted, a2);
        assertThat(List.of(a1, b1, aDeleted, a2)).isSortedAccordingTo(Version::compareTo).doesNotHaveDuplicates();
        assertThat(pending).extracting(e -> e.version().nodeId()).containsOnly(NODE);
        assertThat(pending).extracting(OutboxEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(s.outboxDepth()).isEqualTo(4);
        assertThat(s.outboxBytes()).isPositive();
        assertThat(s.pendingChanges(2)).containsExactlyElementsOf(pending.subList(0, 2));
    }

    @Test
    void a_batch_of_local_writes_queues_one_entry_per_mutation_that_changed_something() {
        DurableVectorStore s = open(config(true, 0));
        upsertLocal(s, "x", 1);

        List<MutationResult> results = s.apply(List.of(new Upsert(record("p", 1, 1)), new Delete("x", null),
                new Delete("x", null), new Upsert(record("q", 1, 3))));

        assertThat(results).extracting(MutationResult::deleted).containsExactly(false, true, false, false);
        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::docId).containsExactly("x", "p", "x", "q");
        assertThat(s.pendingChanges(100).get(1).version()).isEqualTo(results.get(0).stored().version());
        assertThat(s.pendingChanges(100).get(3).version()).isEqualTo(results.get(3).stored().version());
    }

    @Test
    void with_the_outbox_disabled_nothing_is_queued() {
        DurableVectorStore s = open(config(false, 0));
        AtomicInteger calls = new AtomicInteger();
        s.onOutboxAppend(calls::incrementAndGet);

        upsertLocal(s, "a", 1);
        s.delete("a");
        upsertLocal(s, "b", 1);

        assertThat(s.pendingChanges(100)).isEmpty();
        assertThat(s.outboxDepth()).isZero();
        assertThat(s.outboxBytes()).isZero();
        assertThat(calls).hasValue(0);
        assertThat(s.get("b")).isPresent(); // the writes themselves happened
    }

    @Test
    void change_of_returns_the_full_document_as_written_and_empty_once_superseded() {
        DurableVectorStore s = open(config(true, 0));
        DocumentRecord first = record("a", 1, 3);
        Version v1 = s.apply(List.of(new Upsert(first))).get(0).stored().version();
        OutboxEntry e1 = s.pendingChanges(10).get(0);

        DocumentChange c1 = s.changeOf(e1).orElseThrow();
        assertThat(c1.type()).isEqualTo(ChangeType.UPSERT);
        assertThat(c1.docId()).isEqualTo("a");
        assertThat(c1.version()).isEqualTo(v1);
        assertThat(c1.title()).isEqualTo(first.title());
        assertThat(c1.source()).isEqualTo(first.source());
        assertThat(c1.collection()).isEqualTo("coll");
        assertThat(c1.metadata()).isEqualTo(Map.of("lang", "en"));
        assertThat(c1.contentHash()).isEqualTo(first.contentHash());
        assertThat(c1.embeddingModel()).isEqualTo(first.embeddingModel());
        assertThat(c1.schemaVersion()).isEqualTo(first.schemaVersion());
        assertThat(c1.chunks()).extracting(ChunkRecord::chunkId).containsExactly("a#0", "a#1", "a#2");
        assertThat(c1.chunks()).extracting(ChunkRecord::text).containsExactly(text("a", 1, 0), text("a", 1, 1), text("a", 1, 2));
        for (int i = 0; i < 3; i++) {
            assertThat(c1.chunks().get(i).vector()).as("raw vector %d, not normalised", i).isEqualTo(first.chunks().get(i).vector());
        }

        upsertLocal(s, "a", 2);
        OutboxEntry e2 = s.pendingChanges(10).get(1);
        assertThat(s.changeOf(e1)).as("superseded by a later write").isEmpty();
        assertThat(s.changeOf(e2).orElseThrow().chunks()).extracting(ChunkRecord::text)
                .containsExactly(text("a", 2, 0), text("a", 2, 1));

        s.delete("a");
        OutboxEntry e3 = s.pendingChanges(10).get(2);
        assertThat(s.changeOf(e2)).isEmpty();
        DocumentChange deleted = s.changeOf(e3).orElseThrow();
        assertThat(deleted.type()).isEqualTo(ChangeType.DELETE);
        assertThat(deleted.docId()).isEqualTo("a");
        assertThat(deleted.version()).isEqualTo(e3.version());
        assertThat(deleted.chunks()).isEmpty();
    }

    @Test
    void mark_published_removes_entries_and_depth_and_bytes_drop() {
        DurableVectorStore s = open(config(true, 0));
        upsertLocal(s, "a", 1);
        upsertLocal(s, "b", 1);
        upsertLocal(s, "c", 1);
        List<OutboxEntry> pending = s.pendingChanges(100);
        long bytesBefore = s.outboxBytes();

        s.markPublished(pending.subList(0, 2));

        assertThat(s.outboxDepth()).isEqualTo(1);
        assertThat(s.outboxBytes()).isPositive().isLessThan(bytesBefore);
        assertThat(s.pendingChanges(100)).containsExactly(pending.get(2));

        s.markPublished(List.of(pending.get(2)));
        assertThat(s.outboxDepth()).isZero();
        assertThat(s.outboxBytes()).isZero();
        assertThat(s.pendingChanges(100)).isEmpty();
        assertThat(s.get("a")).isPresent(); // publishing does not touch the documents

        s = reopen(s, config(true, 0));
        assertThat(s.pendingChanges(100)).as("published entries stay gone after a restart").isEmpty();
    }

    @Test
    void outbox_entries_survive_close_and_reopen() {
        DurableVectorStore s = open(config(true, 0));
        upsertLocal(s, "a", 1);
        s.delete("a");
        upsertLocal(s, "b", 1);
        List<OutboxEntry> before = s.pendingChanges(100);
        long bytes = s.outboxBytes();

        s = reopen(s, config(true, 0));

        assertThat(s.pendingChanges(100)).isEqualTo(before);
        assertThat(s.outboxDepth()).isEqualTo(3);
        assertThat(s.outboxBytes()).isEqualTo(bytes);
        assertThat(s.changeOf(before.get(2))).isPresent();
    }

    @Test
    void each_outbox_row_keeps_the_trace_context_of_the_write_that_queued_it_across_a_reopen() {
        DurableVectorStore s = open(config(true, 0));
        AtomicReference<String> current = new AtomicReference<>("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        s.traceContextSource(current::get);
        upsertLocal(s, "traced", 1);
        current.set(null);
        upsertLocal(s, "untraced", 1);
        current.set("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        s.delete("traced");

        s = reopen(s, config(true, 0));

        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::traceparent).containsExactly(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void a_store_whose_outbox_predates_trace_context_gets_the_column_and_keeps_its_rows() throws Exception {
        DurableVectorStore s = open(config(true, 0));
        upsertLocal(s, "old", 1);
        s.close();
        opened.remove(s);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DurableVectorStore.DB_FILE));
             Statement st = c.createStatement()) {
            st.execute("ALTER TABLE outbox DROP COLUMN traceparent");
        }

        s = open(config(true, 0));
        s.traceContextSource(() -> "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        upsertLocal(s, "new", 1);

        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::docId, OutboxEntry::traceparent).containsExactly(
                org.assertj.core.groups.Tuple.tuple("old", null),
                org.assertj.core.groups.Tuple.tuple("new", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    }

    @Test
    void a_rejected_batch_leaves_no_outbox_row() {
        DurableVectorStore s = open(config(true, 0));
        DocumentRecord bad = new DocumentRecord("bad", "t", "s", "coll", Map.of(), "h", "m", 1,
                List.of(new ChunkRecord("bad#0", "x", null, new float[DIM + 1])));

        assertThatThrownBy(() -> s.apply(List.of(new Upsert(record("good", 1, 2)), new Upsert(bad))))
                .isInstanceOf(InvalidStoreRequestException.class);

        assertThat(s.get("good")).isEmpty();
        assertThat(s.pendingChanges(100)).isEmpty();
        assertThat(s.outboxDepth()).isZero();
    }

    @Test
    void a_batch_rolled_back_inside_the_transaction_leaves_no_outbox_row_even_after_restart() {
        DurableVectorStore s = open(config(true, 2_000));
        upsertLocal(s, "waiting", 1); // a non-empty outbox: only then does the budget refuse anything
        long bytesBefore = s.outboxBytes();
        // Each of these fits the budget alone; together they do not: the refusal comes after the first
        // upserts already wrote their rows (and outbox rows) inside the transaction.
        List<Mutation> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(new Upsert(record("d" + i, 1, 2)));
        }

        assertThatThrownBy(() -> s.apply(batch)).isInstanceOf(OutboxFullException.class);

        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::docId).containsExactly("waiting");
        assertThat(s.outboxDepth()).isEqualTo(1);
        assertThat(s.outboxBytes()).isEqualTo(bytesBefore);
        assertThat(s.chunkCount()).isEqualTo(2); // the two chunks of "waiting" only
        DurableVectorStore reopened = reopen(s, config(true, 2_000));
        assertThat(reopened.pendingChanges(100)).extracting(OutboxEntry::docId).containsExactly("waiting");
        assertThat(reopened.get("d0")).isEmpty();
        assertThat(reopened.versionOf("d0")).isEmpty();
        reopened.markPublished(reopened.pendingChanges(100));
        upsertLocal(reopened, "d0", 1); // the store is fine afterwards
        assertThat(reopened.pendingChanges(100)).extracting(OutboxEntry::docId).containsExactly("d0");
    }

    @Test
    void the_outbox_listener_runs_after_a_local_write_has_committed() {
        DurableVectorStore s = open(config(true, 0));
        AtomicInteger calls = new AtomicInteger();
        AtomicLong depthSeen = new AtomicLong(-1);
        List<OutboxEntry> seen = new ArrayList<>();
        s.onOutboxAppend(() -> {
            calls.incrementAndGet();
            depthSeen.set(s.outboxDepth());
            seen.addAll(s.pendingChanges(10)); // the relay reads the outbox from the listener's wake-up
        });

        Version v = upsertLocal(s, "a", 1);

        assertThat(calls).hasValue(1);
        assertThat(depthSeen).hasValue(1);
        assertThat(seen).extracting(OutboxEntry::version).containsExactly(v);

        s.delete("missing");
        assertThat(calls).as("a write that queued nothing").hasValue(1);
        applyRemote(s, new Upsert(record("r", 1, 1), remote(wall.get(), 0, "peer")));
        assertThat(calls).as("a remote change").hasValue(1);
        s.delete("a");
        assertThat(calls).hasValue(2);
    }

    // ---- remote changes -------------------------------------------------------------------------

    @Test
    void a_remote_upsert_applies_only_with_a_greater_version() {
        DurableVectorStore s = open(config(true, 0));
        Version local = upsertLocal(s, "a", 1);

        Version newer = new Version(local.hlc() + 1, "peer");
        MutationResult applied = applyRemote(s, new Upsert(record("a", 2, 2), newer));
        assertThat(applied.applied()).isTrue();
        assertThat(applied.stored().version()).isEqualTo(newer);
        assertThat(s.get("a").orElseThrow().version()).isEqualTo(newer);
        assertThat(nearestTextOf(s, "a", 2)).isEqualTo(text("a", 2, 0));
        assertThat(s.chunkCount()).isEqualTo(2);

        // an equal version is a redelivery of the same event (same content): nothing is rewritten
        long positions = s.positionCount();
        MutationResult same = applyRemote(s, new Upsert(record("a", 2, 2), newer));
        assertThat(same.applied()).isFalse();
        assertThat(same.kept()).isEqualTo(newer);
        assertThat(s.positionCount()).isEqualTo(positions);

        Version older = new Version(local.hlc(), "zzz"); // greater than `local`, smaller than `newer`
        MutationResult stale = applyRemote(s, new Upsert(record("a", 4, 2), older));
        assertThat(stale.applied()).isFalse();
        assertThat(stale.kept()).isEqualTo(newer);

        assertThat(s.get("a").orElseThrow().version()).isEqualTo(newer);
        assertThat(s.get("a").orElseThrow().contentHash()).isEqualTo(record("a", 2, 2).contentHash());
        assertThat(nearestTextOf(s, "a", 4)).startsWith("a g2");
        assertThat(s.chunkCount()).isEqualTo(2);
        assertThat(s.positionCount()).isEqualTo(positions);
    }

    @Test
    void a_tie_in_hlc_is_broken_by_node_id() {
        DurableVectorStore s = open(config(false, 0));
        long hlc = HybridLogicalClock.of(wall.get(), 5);
        assertThat(applyRemote(s, new Upsert(record("a", 1, 1), new Version(hlc, "b"))).applied()).isTrue();
        assertThat(applyRemote(s, new Upsert(record("a", 2, 1), new Version(hlc, "a"))).applied()).isFalse();
        assertThat(applyRemote(s, new Upsert(record("a", 3, 1), new Version(hlc, "c"))).applied()).isTrue();
        assertThat(s.get("a").orElseThrow().version()).isEqualTo(new Version(hlc, "c"));
    }

    @Test
    void a_remote_delete_of_a_never_seen_document_leaves_a_tombstone_that_only_a_newer_upsert_overrides() {
        DurableVectorStore s = open(config(true, 0));
        long now = wall.get();
        Version deletedAt = remote(now, 10, "peer-a");

        MutationResult del = applyRemote(s, new Delete("ghost", null, deletedAt));
        assertThat(del.applied()).isTrue();
        assertThat(del.deleted()).as("nothing was live here").isFalse();
        DocState tomb = s.versionOf("ghost").orElseThrow();
        assertThat(tomb.deleted()).isTrue();
        assertThat(tomb.version()).isEqualTo(deletedAt);
        assertThat(s.get("ghost")).isEmpty();

        MutationResult olderUpsert = applyRemote(s, new Upsert(record("ghost", 1, 2), remote(now, 9, "peer-b")));
        assertThat(olderUpsert.applied()).as("an older upsert arriving late must not resurrect it").isFalse();
        assertThat(olderUpsert.kept()).isEqualTo(deletedAt);
        MutationResult sameVersionUpsert = applyRemote(s, new Upsert(record("ghost", 1, 2), deletedAt));
        assertThat(sameVersionUpsert.applied()).as("at an equal version the tombstone wins").isFalse();
        assertThat(s.get("ghost")).isEmpty();
        assertThat(nearestTextOf(s, "ghost", 1)).isNull();
        assertThat(s.chunkCount()).isZero();

        Version later = remote(now, 11, "peer-b");
        MutationResult newerUpsert = applyRemote(s, new Upsert(record("ghost", 2, 2), later));
        assertThat(newerUpsert.applied()).isTrue();
        assertThat(s.get("ghost").orElseThrow().version()).isEqualTo(later);
        assertThat(nearestTextOf(s, "ghost", 2)).isEqualTo(text("ghost", 2, 0));
        assertThat(s.versionOf("ghost").orElseThrow().deleted()).isFalse();

        // and the tombstone logic survives a restart
        applyRemote(s, new Delete("ghost", null, remote(now, 12, "peer-a")));
        s = reopen(s, config(true, 0));
        assertThat(applyRemote(s, new Upsert(record("ghost", 3, 2), remote(now, 11, "peer-z"))).applied()).isFalse();
        assertThat(s.get("ghost")).isEmpty();
        assertThat(s.chunkCount()).isZero();
    }

    @Test
    void a_remote_delete_older_than_the_stored_version_changes_nothing() {
        DurableVectorStore s = open(config(true, 0));
        Version local = upsertLocal(s, "a", 1);

        MutationResult stale = applyRemote(s, new Delete("a", null, new Version(local.hlc() - 1, "peer")));
        assertThat(stale.applied()).isFalse();
        assertThat(stale.kept()).isEqualTo(local);
        assertThat(s.get("a")).isPresent();
        assertThat(nearestTextOf(s, "a", 1)).isEqualTo(text("a", 1, 0));

        MutationResult newer = applyRemote(s, new Delete("a", null, new Version(local.hlc() + 1, "peer")));
        assertThat(newer.applied()).isTrue();
        assertThat(newer.deleted()).isTrue();
        assertThat(s.get("a")).isEmpty();
        assertThat(nearestTextOf(s, "a", 1)).isNull();
    }

    @Test
    void remote_changes_never_enter_the_outbox() {
        DurableVectorStore s = open(config(true, 0));
        long now = wall.get();
        applyRemote(s, new Upsert(record("r1", 1, 2), remote(now, 1, "peer")));
        applyRemote(s, new Upsert(record("r1", 2, 2), remote(now, 2, "peer")));
        applyRemote(s, new Delete("r2", null, remote(now, 3, "peer")));
        applyRemote(s, new Delete("r1", null, remote(now, 4, "peer")));
        applyRemote(s, new Upsert(record("r3", 1, 1), remote(now, 5, "peer")));

        assertThat(s.pendingChanges(100)).isEmpty();
        assertThat(s.outboxDepth()).isZero();
        assertThat(s.outboxBytes()).isZero();
        assertThat(s.get("r3")).isPresent(); // they were applied

        upsertLocal(s, "mine", 1);
        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::docId).containsExactly("mine");
    }

    @Test
    void a_local_write_after_a_remote_one_from_the_future_still_gets_a_greater_version() {
        DurableVectorStore s = open(config(true, 0));
        Version future = remote(wall.get() + 7 * DAY, 42, "peer-with-a-fast-clock");
        assertThat(applyRemote(s, new Upsert(record("x", 1, 2), future)).applied()).isTrue();

        Version other = upsertLocal(s, "y", 1);
        assertThat(other).isGreaterThan(future);
        assertThat(other.nodeId()).isEqualTo(NODE);

        Version mine = upsertLocal(s, "x", 2);
        assertThat(mine).isGreaterThan(future);
        assertThat(s.get("x").orElseThrow().version()).isEqualTo(mine);
        assertThat(nearestTextOf(s, "x", 2)).isEqualTo(text("x", 2, 0));

        // the observed time is persisted: after a restart with the wall clock even further back, still greater
        wall.addAndGet(-DAY);
        s = reopen(s, config(true, 0));
        Version afterRestart = upsertLocal(s, "x", 3);
        assertThat(afterRestart).isGreaterThan(mine);
        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::version).containsExactly(other, mine, afterRestart);
    }

    @Test
    void local_versions_never_go_back_when_the_wall_clock_does() {
        DurableVectorStore s = open(config(true, 0));
        Version first = upsertLocal(s, "a", 1);
        wall.addAndGet(-DAY);
        Version second = upsertLocal(s, "a", 2);
        assertThat(second).isGreaterThan(first);
        s = reopen(s, config(true, 0));
        wall.addAndGet(-DAY);
        Version third = upsertLocal(s, "b", 1);
        assertThat(third).isGreaterThan(second);
    }

    // ---- outbox budget ---------------------------------------------------------------------------

    @Test
    void a_full_outbox_refuses_local_writes_without_changing_anything_until_it_is_drained() {
        DurableVectorStore s = open(config(true, 5_000));
        int written = 0;
        OutboxFullException refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            try {
                upsertLocal(s, "d" + i, 1);
                written++;
            } catch (OutboxFullException e) {
                refused = e;
            }
        }
        assertThat(refused).as("the budget must stop writes at some point").isNotNull();
        assertThat(written).isPositive();
        String refusedId = "d" + written;
        long depth = s.outboxDepth();
        long bytes = s.outboxBytes();
        long chunks = s.chunkCount();
        assertThat(depth).isEqualTo(written);
        assertThat(bytes).isLessThanOrEqualTo(5_000);

        assertThat(s.get(refusedId)).isEmpty();
        assertThat(s.versionOf(refusedId)).isEmpty();
        assertThat(s.chunkCount()).isEqualTo(chunks).isEqualTo(2L * written);
        assertThat(s.outboxDepth()).isEqualTo(depth);
        assertThat(s.outboxBytes()).isEqualTo(bytes);
        assertThat(s.pendingChanges(1_000)).hasSize(written).noneMatch(e -> e.docId().equals(refusedId));
        assertThatThrownBy(() -> s.delete("d0")).isInstanceOf(OutboxFullException.class);
        assertThat(s.get("d0")).isPresent();

        // reads go on
        assertThat(nearestTextOf(s, "d0", 1)).isEqualTo(text("d0", 1, 0));
        // and remote changes are still applied: they do not grow the outbox
        assertThat(applyRemote(s, new Upsert(record("from-peer", 1, 2), remote(wall.get(), 0, "peer"))).applied()).isTrue();

        s.markPublished(s.pendingChanges(1_000));
        assertThat(s.outboxBytes()).isZero();
        upsertLocal(s, refusedId, 1);
        assertThat(s.get(refusedId)).isPresent();
        assertThat(s.delete("d0")).isTrue();
        assertThat(s.pendingChanges(100)).extracting(OutboxEntry::docId).containsExactly(refusedId, "d0");
    }

    // ---- switching an existing store to hybrid mode -------------------------------------------

    @Test
    void enabling_the_outbox_on_an_existing_store_queues_every_document_once() {
        DurableVectorStore s = open(config(false, 0));
        Version a = upsertLocal(s, "a", 1);
        upsertLocal(s, "b", 1);
        Version c = upsertLocal(s, "c", 1);
        s.delete("b");
        Version b = s.versionOf("b").orElseThrow().version();

        s = reopen(s, config(true, 0));
        List<OutboxEntry> seeded = s.pendingChanges(100);
        assertThat(seeded).extracting(OutboxEntry::docId).containsExactly("a", "c", "b");
        assertThat(seeded).extracting(OutboxEntry::type).containsExactly(ChangeType.UPSERT, ChangeType.UPSERT, ChangeType.DELETE);
        assertThat(seeded).extracting(OutboxEntry::version).containsExactly(a, c, b);
        assertThat(s.changeOf(seeded.get(0)).orElseThrow().chunks()).hasSize(2);
        assertThat(s.changeOf(seeded.get(2)).orElseThrow().type()).isEqualTo(ChangeType.DELETE);

        s = reopen(s, config(true, 0));
        assertThat(s.pendingChanges(100)).as("a second open seeds nothing more").isEqualTo(seeded);

        s.markPublished(seeded);
        s = reopen(s, config(true, 0));
        assertThat(s.pendingChanges(100)).as("nor after the seeded entries were published").isEmpty();
        s = reopen(s, config(false, 0));
        s = reopen(s, config(true, 0));
        assertThat(s.pendingChanges(100)).as("nor after a standalone interlude").isEmpty();
    }

    @Test
    void a_new_store_with_the_outbox_enabled_seeds_nothing() {
        DurableVectorStore s = open(config(true, 0));
        assertThat(s.pendingChanges(100)).isEmpty();
        upsertLocal(s, "a", 1);
        s = reopen(s, config(true, 0));
        assertThat(s.pendingChanges(100)).hasSize(1);
    }

    // ---- stores written before versions had a node id -------------------------------------------

    /** The schema as it was before sync: documents without {@code version_node}, no outbox. */
    private static final String[] OLD_SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS documents (
          doc_id TEXT PRIMARY KEY, title TEXT, source TEXT, collection TEXT, metadata TEXT,
          content_hash TEXT, embedding_model TEXT, schema_version INTEGER NOT NULL DEFAULT 0,
          version INTEGER NOT NULL, updated_at INTEGER NOT NULL, chunk_count INTEGER NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0, tombstone_version INTEGER)""",
        """
        CREATE TABLE IF NOT EXISTS chunks (
          position INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL, doc_id TEXT NOT NULL, ord INTEGER NOT NULL,
          text TEXT, metadata TEXT, vector BLOB NOT NULL, live INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS chunks_live_doc ON chunks(doc_id) WHERE live = 1",
        """
        CREATE TABLE IF NOT EXISTS change_log (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, type TEXT NOT NULL,
          version INTEGER NOT NULL, at INTEGER NOT NULL)""",
    };

    /** An old store: "old" live (version 2, two chunks), "gone" deleted (version 3, its chunk dead). */
    private void writeOldStore() throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DurableVectorStore.DB_FILE))) {
            try (Statement st = c.createStatement()) {
                for (String ddl : OLD_SCHEMA) {
                    st.execute(ddl);
                }
                st.execute("INSERT INTO meta VALUES ('dimension', '" + DIM + "'), ('schema', '1'), ('generation', '0'),"
                        + " ('next_position', '3'), ('last_version', '3'), ('index_factory', 'Flat')");
                st.execute("INSERT INTO documents VALUES ('old', 'Old', 'test://old', 'coll', NULL, 'h-old', 'test-model', 1,"
                        + " 2, 1000, 2, 0, NULL)");
                st.execute("INSERT INTO documents VALUES ('gone', 'Gone', 'test://gone', 'coll', NULL, 'h-gone', 'test-model', 1,"
                        + " 3, 1001, 0, 1, 3)");
                st.execute("INSERT INTO change_log(doc_id, type, version, at) VALUES ('gone', 'UPSERT', 1, 999),"
                        + " ('old', 'UPSERT', 2, 1000), ('gone', 'DELETE', 3, 1001)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, NULL, ?, ?)")) {
                Object[][] rows = {
                    {0, "gone#0", "gone", 0, text("gone", 1, 0), vector("gone", 1, 0), 0},
                    {1, "old#0", "old", 0, text("old", 1, 0), vector("old", 1, 0), 1},
                    {2, "old#1", "old", 1, text("old", 1, 1), vector("old", 1, 1), 1},
                };
                for (Object[] r : rows) {
                    ps.setInt(1, (Integer) r[0]);
                    ps.setString(2, (String) r[1]);
                    ps.setString(3, (String) r[2]);
                    ps.setInt(4, (Integer) r[3]);
                    ps.setString(5, (String) r[4]);
                    ps.setBytes(6, Vectors.toBlob((float[]) r[5]));
                    ps.setInt(7, (Integer) r[6]);
                    ps.executeUpdate();
                }
            }
        }
    }

    @Test
    void a_store_written_with_the_old_schema_opens_and_reads_versions_with_an_empty_node_id() throws Exception {
        writeOldStore();

        DurableVectorStore s = open(config(false, 0));

        StoredDocument old = s.get("old").orElseThrow();
        assertThat(old.version()).isEqualTo(new Version(2, Version.UNKNOWN_NODE));
        assertThat(old.version().nodeId()).isEmpty();
        assertThat(old.chunks()).isEqualTo(2);
        assertThat(s.versionOf("old")).contains(new DocState(new Version(2, ""), false, "h-old"));
        assertThat(s.versionOf("gone").orElseThrow().version()).isEqualTo(new Version(3, ""));
        assertThat(s.versionOf("gone").orElseThrow().deleted()).isTrue();
        assertThat(s.get("gone")).isEmpty();
        assertThat(s.chunkCount()).isEqualTo(2);
        assertThat(nearestTextOf(s, "old", 1)).isEqualTo(text("old", 1, 0));
        assertThat(nearestTextOf(s, "gone", 1)).isNull();

        // new writes carry this node's id and beat the old counter versions
        Version next = upsertLocal(s, "old", 2);
        assertThat(next.nodeId()).isEqualTo(NODE);
        assertThat(next).isGreaterThan(old.version());
        // the old tombstone still guards against an older remote upsert
        assertThat(applyRemote(s, new Upsert(record("gone", 1, 1), new Version(2, "peer"))).applied()).isFalse();

        s = reopen(s, config(false, 0));
        assertThat(s.get("old").orElseThrow().version()).isEqualTo(next);
        assertThat(s.versionOf("gone").orElseThrow().version()).isEqualTo(new Version(3, ""));
    }

    @Test
    void an_old_store_switched_to_hybrid_mode_publishes_its_documents_with_their_old_versions() throws Exception {
        writeOldStore();

        DurableVectorStore s = open(config(true, 0));

        List<OutboxEntry> seeded = s.pendingChanges(100);
        assertThat(seeded).extracting(OutboxEntry::docId).containsExactly("old", "gone");
        assertThat(seeded).extracting(OutboxEntry::version).containsExactly(new Version(2, ""), new Version(3, ""));
        DocumentChange old = s.changeOf(seeded.get(0)).orElseThrow();
        assertThat(old.type()).isEqualTo(ChangeType.UPSERT);
        assertThat(old.chunks()).extracting(ChunkRecord::text).containsExactly(text("old", 1, 0), text("old", 1, 1));
        assertThat(old.chunks().get(1).vector()).isEqualTo(vector("old", 1, 1));
        assertThat(s.changeOf(seeded.get(1)).orElseThrow().type()).isEqualTo(ChangeType.DELETE);
    }
}
