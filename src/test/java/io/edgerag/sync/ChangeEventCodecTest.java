package io.edgerag.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent.EventChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ChangeEventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Above 2^53: a JSON number would lose the low bits in many consumers. */
    private static final long HLC = HybridLogicalClock.of(1_754_000_000_123L, 4_097);
    private static final Version VERSION = new Version(HLC, "edge-7");

    private final ChangeEventCodec codec = new ChangeEventCodec();

    /** Values whose bits a lossy (decimal, double, big-endian) encoding would change. */
    private static final float[] V1 = {0.1f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.17549435E-38f, 3.4028e-39f, 1f / 3f, -123456.789f};
    private static final float[] V2 = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8.000001f};

    private static DocumentChange upsert(Version version) {
        return new DocumentChange(ChangeType.UPSERT, "doc:manual-1", version, "Title", "file://a.pdf", "manuals",
                Map.of("lang", "de", "page", "3"), "content-hash", "e5-small", 2,
                List.of(new ChunkRecord("doc:manual-1#0", "Grüße, \"quoted\"\nline two", null, V1),
                        new ChunkRecord("doc:manual-1#1", "second", null, V2)));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    @Test
    void upsert_round_trips_with_bit_exact_vectors_text_metadata_and_the_version() throws Exception {
        DocumentChange change = upsert(VERSION);

        String payload = codec.encode(change, "edge-7", true);
        ChangeEvent e = codec.decode(payload);

        assertThat(e.schemaVersion()).isEqualTo(ChangeEvent.CURRENT_SCHEMA);
        assertThat(e.type()).isEqualTo("UPSERT");
        assertThat(e.docId()).isEqualTo("doc:manual-1");
        assertThat(e.origin()).isEqualTo("edge-7");
        assertThat(e.title()).isEqualTo("Title");
        assertThat(e.source()).isEqualTo("file://a.pdf");
        assertThat(e.collection()).isEqualTo("manuals");
        assertThat(e.metadata()).isEqualTo(Map.of("lang", "de", "page", "3"));
        assertThat(e.contentHash()).isEqualTo("content-hash");
        assertThat(e.embeddingModel()).isEqualTo("e5-small");
        assertThat(e.embeddingSchemaVersion()).isEqualTo(2);
        assertThat(ChangeEventCodec.version(e)).isEqualTo(VERSION);
        assertThat(e.chunks()).extracting(EventChunk::chunkId).containsExactly("doc:manual-1#0", "doc:manual-1#1");
        assertThat(e.chunks()).extracting(EventChunk::text).containsExactly("Grüße, \"quoted\"\nline two", "second");
        assertThat(e.chunks().get(0).textHash()).isEqualTo(sha256("Grüße, \"quoted\"\nline two"));
        assertThat(e.chunks().get(1).textHash()).isEqualTo(sha256("second"));
        assertThat(bits(ChangeEventCodec.decodeVector(e.chunks().get(0).vector(), "c0"))).isEqualTo(bits(V1));
        assertThat(bits(ChangeEventCodec.decodeVector(e.chunks().get(1).vector(), "c1"))).isEqualTo(bits(V2));

        JsonNode tree = JSON.readTree(payload);
        assertThat(tree.at("/version/hlc").isTextual()).as("hlc travels as a string").isTrue();
        assertThat(tree.at("/version/hlc").asText()).isEqualTo(Long.toString(HLC));
        assertThat(tree.at("/version/nodeId").asText()).isEqualTo("edge-7");
        // the vector is little-endian float32
        byte[] raw = Base64.getDecoder().decode(tree.at("/chunks/0/vector").asText());
        assertThat(raw).hasSize(4 * V1.length);
        assertThat(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat(0)).isEqualTo(0.1f);
    }

    @Test
    void event_id_is_stable_for_one_change_and_differs_for_another_version_or_document() throws Exception {
        String first = codec.decode(codec.encode(upsert(VERSION), "edge-7", true)).eventId();
        String again = codec.decode(codec.encode(upsert(VERSION), "edge-7", false)).eventId();
        String laterHlc = codec.decode(codec.encode(upsert(new Version(HLC + 1, "edge-7")), "edge-7", true)).eventId();
        String otherNode = codec.decode(codec.encode(upsert(new Version(HLC, "edge-8")), "edge-8", true)).eventId();
        DocumentChange otherDoc = new DocumentChange(ChangeType.DELETE, "doc-2", VERSION, null, null, null, Map.of(),
                null, null, 0, List.of());
        String otherDocId = codec.decode(codec.encode(otherDoc, "edge-7", true)).eventId();

        assertThat(first).isNotBlank().isEqualTo(again);
        assertThat(List.of(laterHlc, otherNode, otherDocId)).doesNotContain(first).doesNotHaveDuplicates();
    }

    @Test
    void delete_round_trips_without_chunks() throws Exception {
        DocumentChange delete = new DocumentChange(ChangeType.DELETE, "gone", VERSION, null, null, null, Map.of(),
                null, null, 0, List.of());

        ChangeEvent e = codec.decode(codec.encode(delete, "edge-7", true));

        assertThat(e.type()).isEqualTo("DELETE");
        assertThat(e.docId()).isEqualTo("gone");
        assertThat(ChangeEventCodec.version(e)).isEqualTo(VERSION);
        assertThat(e.chunks()).isNullOrEmpty();
        assertThat(e.embeddingModel()).isNull();
    }

    @Test
    void share_text_false_drops_the_text_but_keeps_its_hash_and_the_vector() throws Exception {
        String payload = codec.encode(upsert(VERSION), "edge-7", false);
        ChangeEvent e = codec.decode(payload);

        assertThat(payload).doesNotContain("Grüße").doesNotContain("second");
        assertThat(e.chunks()).extracting(EventChunk::text).containsOnlyNulls();
        assertThat(e.chunks().get(0).textHash()).isEqualTo(sha256("Grüße, \"quoted\"\nline two"));
        assertThat(e.chunks().get(1).textHash()).isEqualTo(sha256("second"));
        assertThat(bits(ChangeEventCodec.decodeVector(e.chunks().get(0).vector(), "c0"))).isEqualTo(bits(V1));
    }

    // ---- refusals ----------------------------------------------------------------------------

    private ObjectNode validEvent() throws Exception {
        return (ObjectNode) JSON.readTree(codec.encode(upsert(VERSION), "edge-7", true));
    }

    private String mutated(Consumer<ObjectNode> change) throws Exception {
        ObjectNode event = validEvent();
        change.accept(event);
        return JSON.writeValueAsString(event);
    }

    private static ObjectNode firstChunk(ObjectNode event) {
        return (ObjectNode) event.get("chunks").get(0);
    }

    private static String base64Floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private void assertRefused(String payload, String... reasonParts) {
        assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(PoisonEventException.class)
                .message().contains(reasonParts);
    }

    @Test
    void a_valid_event_built_the_same_way_is_accepted() throws Exception {
        // guards the refusal tests below: each of them changes exactly one thing of this event
        assertThat(codec.decode(mutated(e -> { })).docId()).isEqualTo("doc:manual-1");
    }

    @Test
    void refuses_what_is_not_json_or_empty() {
        assertRefused("{not json", "not a change event");
        assertRefused("", "empty");
        assertRefused("   ", "empty");
        assertRefused(null, "empty");
    }

    @Test
    void refuses_an_unknown_schema_version() throws Exception {
        assertRefused(mutated(e -> e.put("schemaVersion", 99)), "unknown schemaVersion 99");
        assertRefused(mutated(e -> e.remove("schemaVersion")), "schemaVersion");
    }

    @Test
    void refuses_a_missing_doc_id() throws Exception {
        assertRefused(mutated(e -> e.remove("docId")), "docId");
        assertRefused(mutated(e -> e.put("docId", " ")), "docId");
    }

    @Test
    void refuses_a_doc_id_that_climbs_a_path_or_carries_control_characters_so_it_is_dead_lettered() throws Exception {
        assertRefused(mutated(e -> e.put("docId", "../../etc/passwd")), "docId of a change event", "'..'");
        assertRefused(mutated(e -> e.put("docId", "a\\b")), "docId of a change event");
        assertRefused(mutated(e -> e.put("docId", "evil\u0000id")), "control characters");
        assertRefused(mutated(e -> e.put("docId", "x".repeat(201))), "limit is 200");
    }

    @Test
    void refuses_a_bad_type() throws Exception {
        assertRefused(mutated(e -> e.put("type", "UPDATE")), "type", "UPDATE");
        assertRefused(mutated(e -> e.remove("type")), "type");
    }

    @Test
    void refuses_an_hlc_that_is_not_a_positive_64_bit_number() throws Exception {
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).put("hlc", "12ab")), "hlc", "12ab");
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).put("hlc", "99999999999999999999")), "hlc");
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).put("hlc", "-5")), "hlc", "positive");
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).put("hlc", "0")), "hlc", "positive");
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).remove("hlc")), "hlc");
        assertRefused(mutated(e -> e.remove("version")), "version");
    }

    @Test
    void refuses_a_missing_node_id_or_origin() throws Exception {
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).remove("nodeId")), "nodeId");
        assertRefused(mutated(e -> ((ObjectNode) e.get("version")).put("nodeId", "")), "nodeId");
        assertRefused(mutated(e -> e.remove("origin")), "origin");
    }

    @Test
    void refuses_an_upsert_without_chunks_or_model() throws Exception {
        assertRefused(mutated(e -> e.remove("chunks")), "UPSERT", "chunks");
        assertRefused(mutated(e -> e.putArray("chunks")), "UPSERT", "chunks");
        assertRefused(mutated(e -> e.remove("embeddingModel")), "embeddingModel");
        assertRefused(mutated(e -> firstChunk(e).remove("chunkId")), "chunkId");
        assertRefused(mutated(e -> firstChunk(e).remove("vector")), "no vector");
    }

    @Test
    void refuses_vectors_that_are_not_base64_float32_finite_values() throws Exception {
        assertRefused(mutated(e -> firstChunk(e).put("vector", "%%% not base64 %%%")), "doc:manual-1#0", "not base64");
        assertRefused(mutated(e -> firstChunk(e).put("vector", base64Floats(1f, Float.NaN, 2f))), "doc:manual-1#0", "NaN");
        assertRefused(mutated(e -> firstChunk(e).put("vector", base64Floats(1f, Float.POSITIVE_INFINITY))), "infinite");
        assertRefused(mutated(e -> firstChunk(e).put("vector", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5}))),
                "doc:manual-1#0", "float32");
        assertRefused(mutated(e -> firstChunk(e).put("vector", "")), "float32");
    }

    @Test
    void ignores_unknown_fields_of_a_newer_producer_in_the_same_schema() throws Exception {
        ChangeEvent e = codec.decode(mutated(ev -> ev.put("someFutureField", "x")));
        assertThat(ChangeEventCodec.version(e)).isEqualTo(VERSION);
    }

    @Test
    void refuses_json_that_is_not_an_object() {
        assertRefused("[]", "not a change event");
        assertRefused("null", "not a change event");
    }

    @Test
    void chunk_arrays_with_a_null_entry_are_refused() throws Exception {
        assertRefused(mutated(e -> ((ArrayNode) e.get("chunks")).addNull()), "chunkId");
    }

    /*
     * What the store itself would refuse must be refused here, as a poison event: the store's
     * InvalidStoreRequestException during apply is retried by the consumer and then stops the
     * channel, so one such event would stall the partition for this node.
     */

    @Test
    void refuses_duplicate_chunk_ids_which_the_store_would_refuse() throws Exception {
        assertRefused(mutated(e -> firstChunk(e).put("chunkId", "doc:manual-1#1")), "duplicate", "doc:manual-1#1");
    }

    @Test
    void refuses_null_metadata_values_or_empty_keys_which_the_store_would_refuse() throws Exception {
        assertRefused(mutated(e -> ((ObjectNode) e.get("metadata")).putNull("lang")), "metadata");
        assertRefused(mutated(e -> ((ObjectNode) e.get("metadata")).put("", "x")), "metadata");
    }

    @Test
    void refuses_an_all_zero_vector_which_has_no_direction() throws Exception {
        assertRefused(mutated(e -> firstChunk(e).put("vector", base64Floats(0f, -0f, 0f))), "doc:manual-1#0", "zero");
    }
}
