package io.edgerag.security;

import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent;
import io.edgerag.sync.ChangeEventCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgressPolicyTest {

    private static final float[] V = {0.1f, 0.2f, 0.3f};

    @Test
    void should_redact_pii_in_title_source_and_metadata_but_keep_the_rest() {
        EgressPolicy policy = new EgressPolicy(config(Map.of(), Set.of(), false));
        DocumentChange out = policy.outbound(change("doc-1", "public", "Call Ann at +44 20 7946 0958",
                Map.of("owner", "ann.lee@example.org", "ssn", "SSN 123-45-6789", "team", "ops")));

        assertThat(out.title()).isEqualTo("Call Ann at [phone]");
        assertThat(out.metadata()).containsEntry("owner", "[email]").containsEntry("ssn", "SSN [ssn]")
                .containsEntry("team", "ops");
        assertThat(out.source()).isEqualTo("mailto:[email]");
        assertThat(out.chunks().get(0).text()).isEqualTo("Passage text stays as written.");
        assertThat(out.docId()).isEqualTo("doc-1");
    }

    @Test
    void should_send_only_vectors_and_hashes_for_a_restricted_collection() throws Exception {
        EgressPolicy policy = new EgressPolicy(config(Map.of(), Set.of("patients"), false));
        DocumentChange out = policy.outbound(change("doc-2", "patients", "Patient history", Map.of("ward", "3B")));

        assertThat(out.title()).isNull();
        assertThat(out.source()).isNull();
        assertThat(out.metadata()).isEmpty();
        assertThat(out.chunks()).allSatisfy(c -> assertThat(c.text()).isNull());
        assertThat(out.chunks().get(0).vector()).containsExactly(V);

        String json = new ChangeEventCodec().encode(out, "edge-1", true);
        assertThat(json).doesNotContain("Passage text").doesNotContain("Patient history").doesNotContain("3B");
        ChangeEvent decoded = new ChangeEventCodec().decode(json);
        assertThat(decoded.chunks().get(0).textHash()).isEqualTo(EgressPolicy.sha256("Passage text stays as written."));
    }

    @Test
    void should_hash_document_ids_stably_and_keep_chunk_numbering() {
        EgressPolicy policy = new EgressPolicy(config(Map.of(), Set.of(), true));
        DocumentChange first = policy.outbound(change("contract-77", null, "t", Map.of()));
        DocumentChange again = policy.outbound(change("contract-77", null, "t", Map.of()));
        DocumentChange other = policy.outbound(change("contract-78", null, "t", Map.of()));

        assertThat(first.docId()).startsWith("h-").doesNotContain("contract").isEqualTo(again.docId())
                .isNotEqualTo(other.docId());
        assertThat(first.chunks().get(0).chunkId()).isEqualTo(first.docId() + "#0");
    }

    @Test
    void should_refuse_hashing_ids_without_a_key() {
        EgressConfig noKey = config(Map.of(), Set.of(), true);
        EgressConfig withoutKey = new EgressConfigRecord(noKey.scrub(), true, noKey.restrictedCollections(), true, Optional.empty());
        assertThatThrownBy(() -> new EgressPolicy(withoutKey)).hasMessageContaining("id-hash-key");
    }

    @Test
    void should_apply_custom_rules_and_let_a_built_in_one_be_switched_off() {
        EgressPolicy policy = new EgressPolicy(config(Map.of("employee", "EMP-\\d{5}", "phone", ""), Set.of(), false));
        assertThat(policy.scrub("EMP-12345 at +1 555 123 4567")).isEqualTo("[employee] at +1 555 123 4567");
    }

    private static DocumentChange change(String docId, String collection, String title, Map<String, String> metadata) {
        return new DocumentChange(ChangeType.UPSERT, docId, new Version(42L << 16, "edge-1"), title,
                "mailto:someone@example.com", collection, metadata, "hash", "all-minilm-l6-v2", 1,
                List.of(new ChunkRecord(docId + "#0", "Passage text stays as written.", null, V)));
    }

    private static EgressConfig config(Map<String, String> scrub, Set<String> restricted, boolean hashIds) {
        return new EgressConfigRecord(scrub, true, Optional.of(restricted), hashIds, Optional.of("fleet-secret"));
    }

    private record EgressConfigRecord(Map<String, String> scrub, boolean builtInRules,
                                      Optional<Set<String>> restrictedCollections, boolean hashDocumentIds,
                                      Optional<String> idHashKey) implements EgressConfig {
    }
}
