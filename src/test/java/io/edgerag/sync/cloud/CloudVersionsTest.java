package io.edgerag.sync.cloud;

import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.cloud.CloudVersions.ReconcileState;
import io.edgerag.sync.cloud.CloudVersions.SinkDecision;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The cloud sink's and the reconciler's decisions, without a cloud. */
class CloudVersionsTest {

    private static final Version V1 = new Version(100, "a");
    private static final Version V2 = new Version(200, "a");
    private static final Version V2B = new Version(200, "b");

    private static CloudHead live(Version v) {
        return new CloudHead("d", v, false, null, "h" + v.hlc());
    }

    private static CloudHead tombstone(Version v) {
        return new CloudHead("d", v, true, null, null);
    }

    @Test
    void should_apply_an_event_for_a_document_the_cloud_never_saw() {
        assertThat(CloudVersions.decide(new DocState(V1, false, "x"), null)).isEqualTo(SinkDecision.APPLY);
        assertThat(CloudVersions.decide(new DocState(V1, true, null), null)).isEqualTo(SinkDecision.APPLY);
    }

    @Test
    void should_apply_the_greater_version_with_the_node_id_breaking_ties() {
        assertThat(CloudVersions.decide(new DocState(V2, false, "h200"), live(V1))).isEqualTo(SinkDecision.APPLY);
        assertThat(CloudVersions.decide(new DocState(V2B, false, "x"), live(V2))).isEqualTo(SinkDecision.APPLY);
        assertThat(CloudVersions.decide(new DocState(V2, false, "x"), live(V2B))).isEqualTo(SinkDecision.STALE);
    }

    @Test
    void should_change_nothing_for_an_older_or_equal_version() {
        assertThat(CloudVersions.decide(new DocState(V1, false, "h100"), live(V2))).isEqualTo(SinkDecision.STALE);
        assertThat(CloudVersions.decide(new DocState(V2, false, "h200"), live(V2))).isEqualTo(SinkDecision.DUPLICATE);
        assertThat(CloudVersions.decide(new DocState(V2, true, null), tombstone(V2))).isEqualTo(SinkDecision.DUPLICATE);
    }

    @Test
    void should_keep_a_tombstone_against_older_upserts_and_let_it_win_ties() {
        assertThat(CloudVersions.decide(new DocState(V1, false, "h100"), tombstone(V2))).isEqualTo(SinkDecision.STALE);
        assertThat(CloudVersions.decide(new DocState(V2, false, "h200"), tombstone(V2))).isEqualTo(SinkDecision.DUPLICATE);
        assertThat(CloudVersions.decide(new DocState(V2, true, null), live(V2))).isEqualTo(SinkDecision.APPLY);
        // a newer upsert brings a deleted document back, as on every edge
        assertThat(CloudVersions.decide(new DocState(new Version(300, "a"), false, "x"), tombstone(V2)))
                .isEqualTo(SinkDecision.APPLY);
    }

    @Test
    void should_pick_the_winner_of_one_document_inside_a_batch() {
        CloudSink.Pending up1 = pending(ChangeEvent.UPSERT, V1);
        CloudSink.Pending up2 = pending(ChangeEvent.UPSERT, V2);
        CloudSink.Pending del2 = pending(ChangeEvent.DELETE, V2);
        assertThat(CloudSink.winner(List.of(up2, up1))).isSameAs(up2);
        assertThat(CloudSink.winner(List.of(up1, up2, del2))).isSameAs(del2);
        assertThat(CloudSink.winner(List.of(del2, up2))).isSameAs(del2);
    }

    @Test
    void should_round_trip_a_head_and_its_tombstone_through_cloud_metadata() {
        CloudHead head = new CloudHead("doc-1", new Version(Long.MAX_VALUE - 7, "edge-9"), false, "c", "abc");
        CloudRecord record = head.toRecord(4);
        assertThat(record.id()).isEqualTo("doc-1");
        assertThat(record.vector()).containsExactly(1f, 0f, 0f, 0f);
        assertThat(record.metadata()).containsEntry(CloudRecord.VERSION_HLC, Long.toString(Long.MAX_VALUE - 7))
                .containsEntry(CloudHead.TOMBSTONE, "false");
        assertThat(CloudHead.fromRecord(record)).isEqualTo(head);
        CloudHead gone = new CloudHead("doc-1", V2, true, null, null);
        assertThat(CloudHead.fromRecord(gone.toRecord(3))).isEqualTo(gone);
        assertThat(CloudHead.fromRecord(new CloudRecord("x", new float[] {1}, Map.of()))).isNull();
    }

    @Test
    void should_tell_direct_writes_from_documents_the_log_carried() {
        assertThat(CloudVersions.classify(List.of(V2, V2), live(V2))).isEqualTo(ReconcileState.IN_SYNC);
        assertThat(CloudVersions.classify(List.of(V1), live(V2))).isEqualTo(ReconcileState.BEHIND);
        assertThat(CloudVersions.classify(List.of(V2), tombstone(V2))).isEqualTo(ReconcileState.BEHIND);
        assertThat(CloudVersions.classify(List.of(V2), live(V1))).isEqualTo(ReconcileState.DIRECT_WRITE);
        assertThat(CloudVersions.classify(List.of(V1), null)).isEqualTo(ReconcileState.DIRECT_WRITE);
        assertThat(CloudVersions.classify(Arrays.asList(V2, null), live(V2))).isEqualTo(ReconcileState.DIRECT_WRITE);
        assertThat(CloudVersions.classify(List.of(V1, V2), live(V2))).isEqualTo(ReconcileState.DIRECT_WRITE);
    }

    @Test
    void should_read_versions_only_when_both_parts_are_well_formed() {
        assertThat(CloudVersions.versionOf(Map.of(CloudRecord.VERSION_HLC, "200", CloudRecord.VERSION_NODE, "a")))
                .isEqualTo(V2);
        assertThat(CloudVersions.versionOf(Map.of(CloudRecord.VERSION_HLC, "2e2", CloudRecord.VERSION_NODE, "a"))).isNull();
        assertThat(CloudVersions.versionOf(Map.of(CloudRecord.VERSION_HLC, "200"))).isNull();
        assertThat(CloudVersions.versionOf(Map.of())).isNull();
    }

    @Test
    void should_write_chunks_with_version_and_document_metadata_the_contract_keys_winning() {
        ChangeEvent e = new ChangeEvent(ChangeEvent.CURRENT_SCHEMA, "id", ChangeEvent.UPSERT, "d",
                new ChangeEvent.EventVersion("200", "a"), "a", 0, "T", "s.md", null,
                Map.of("lang", "en", CloudRecord.DOC_ID, "spoofed"), "ch", "model-x", 1,
                List.of(new ChangeEvent.EventChunk("d#0", "hello", null, ChangeEventCodec.encodeVector(new float[] {1, 2}))));
        CloudRecord r = CloudSink.records(e, V2).get(0);
        assertThat(r.id()).isEqualTo("d#0");
        assertThat(r.vector()).containsExactly(1f, 2f);
        assertThat(r.metadata()).containsEntry(CloudRecord.DOC_ID, "d").containsEntry("lang", "en")
                .containsEntry(CloudRecord.VERSION_HLC, "200").containsEntry(CloudRecord.VERSION_NODE, "a")
                .containsEntry(CloudRecord.TEXT, "hello").containsEntry(CloudRecord.TEXT_HASH, ChangeEventCodec.sha256("hello"))
                .containsEntry(CloudSink.EMBEDDING_MODEL, "model-x").containsEntry(CloudRecord.TITLE, "T");
    }

    @Test
    void should_order_reconciled_chunks_by_their_number() {
        CloudRecord c10 = new CloudRecord("d#10", new float[] {1}, Map.of());
        CloudRecord c2 = new CloudRecord("d#2", new float[] {1}, Map.of());
        assertThat(CloudReconciler.ordinal(c10)).isEqualTo(10);
        assertThat(CloudReconciler.ordinal(c2)).isEqualTo(2);
        assertThat(CloudReconciler.docIdOf(c10)).isEqualTo("d");
        assertThat(CloudReconciler.docIdOf(new CloudRecord("x#0", new float[] {1}, Map.of(CloudRecord.DOC_ID, "y"))))
                .isEqualTo("y");
    }

    private static CloudSink.Pending pending(String type, Version v) {
        ChangeEvent e = new ChangeEvent(ChangeEvent.CURRENT_SCHEMA, "id", type, "d",
                new ChangeEvent.EventVersion(Long.toString(v.hlc()), v.nodeId()), v.nodeId(), 0, null, null, null, null,
                null, null, null, List.of());
        return new CloudSink.Pending(e, v, null);
    }
}
