package io.edgerag.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.store.local.StoreRecords.ChangeType;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import io.edgerag.store.local.Version;
import io.edgerag.sync.ChangeEvent.EventChunk;
import io.edgerag.sync.ChangeEvent.EventVersion;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Turns a stored {@link DocumentChange} into the JSON of a {@link ChangeEvent} and back, checking on
 * the way in everything a peer could get wrong, so that a bad event is refused with a reason
 * (and dead-lettered) instead of corrupting the store.
 */
public final class ChangeEventCodec {

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String encode(DocumentChange change, String origin, boolean shareText) {
        List<EventChunk> chunks = new ArrayList<>(change.chunks().size());
        for (ChunkRecord c : change.chunks()) {
            Object hash = c.metadata() == null ? null : c.metadata().get(io.edgerag.security.EgressPolicy.TEXT_HASH);
            chunks.add(new EventChunk(c.chunkId(), shareText ? c.text() : null,
                    hash != null ? hash.toString() : sha256(c.text()), encodeVector(c.vector())));
        }
        boolean upsert = change.type() == ChangeType.UPSERT;
        ChangeEvent event = new ChangeEvent(ChangeEvent.CURRENT_SCHEMA, eventId(change.docId(), change.version()),
                change.type().name(), change.docId(),
                new EventVersion(Long.toString(change.version().hlc()), change.version().nodeId()), origin,
                System.currentTimeMillis(), change.title(), change.source(), change.collection(),
                upsert ? change.metadata() : null, change.contentHash(), upsert ? change.embeddingModel() : null,
                upsert ? change.schemaVersion() : null, chunks);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode change of " + change.docId(), e);
        }
    }

    /** Parses and validates; every refusal names what is wrong. */
    public ChangeEvent decode(String payload) throws PoisonEventException {
        return decodeWithVectors(payload).event();
    }

    /** A validated event with its version and chunk vectors decoded once (the apply path needs both). */
    public record Decoded(ChangeEvent event, Version version, List<float[]> vectors) {
    }

    /** Parses and validates; every refusal names what is wrong. */
    public Decoded decodeWithVectors(String payload) throws PoisonEventException {
        if (payload == null || payload.isBlank()) {
            throw new PoisonEventException("empty record value");
        }
        ChangeEvent e;
        try {
            e = json.readValue(payload, ChangeEvent.class);
        } catch (JsonProcessingException ex) {
            throw new PoisonEventException("not a change event: " + ex.getOriginalMessage());
        }
        if (e == null) {
            throw new PoisonEventException("not a change event: JSON null");
        }
        if (e.schemaVersion() != ChangeEvent.CURRENT_SCHEMA) {
            throw new PoisonEventException("unknown schemaVersion " + e.schemaVersion() + " (this node reads "
                    + ChangeEvent.CURRENT_SCHEMA + ")");
        }
        require(e.docId() != null && !e.docId().isBlank(), "docId is missing");
        String badId = io.edgerag.common.DocumentIds.problem(e.docId());
        require(badId == null, badId + " (docId of a change event)");
        require(ChangeEvent.UPSERT.equals(e.type()) || ChangeEvent.DELETE.equals(e.type()),
                "type must be UPSERT or DELETE, was " + e.type());
        Version version = version(e);
        List<float[]> vectors = new ArrayList<>();
        require(e.origin() != null && !e.origin().isBlank(), "origin is missing");
        if (ChangeEvent.UPSERT.equals(e.type())) {
            require(e.embeddingModel() != null && !e.embeddingModel().isBlank(), "embeddingModel is missing");
            require(e.chunks() != null && !e.chunks().isEmpty(), "an UPSERT needs chunks");
            if (e.metadata() != null) {
                for (var m : e.metadata().entrySet()) {
                    require(m.getKey() != null && !m.getKey().isEmpty() && m.getValue() != null,
                            "metadata keys must not be empty and values not null (key '" + m.getKey() + "')");
                }
            }
            java.util.Set<String> chunkIds = new java.util.HashSet<>();
            for (EventChunk c : e.chunks()) {
                require(c != null && c.chunkId() != null && !c.chunkId().isBlank(), "a chunk has no chunkId");
                require(chunkIds.add(c.chunkId()), "duplicate chunkId " + c.chunkId());
                require(c.vector() != null, "chunk " + c.chunkId() + " has no vector");
                float[] v = decodeVector(c.vector(), c.chunkId());
                boolean zero = true;
                for (float f : v) {
                    require(Float.isFinite(f), "chunk " + c.chunkId() + " has a NaN or infinite vector value");
                    zero &= f == 0f;
                }
                require(!zero, "chunk " + c.chunkId() + " has a zero vector (no direction)");
                vectors.add(v);
            }
        }
        return new Decoded(e, version, vectors);
    }

    /** The event's version; throws when it is malformed. */
    public static Version version(ChangeEvent e) throws PoisonEventException {
        require(e.version() != null && e.version().hlc() != null && e.version().nodeId() != null
                && !e.version().nodeId().isBlank(), "version {hlc, nodeId} is missing");
        try {
            long hlc = Long.parseLong(e.version().hlc());
            require(hlc > 0, "version.hlc must be positive");
            return new Version(hlc, e.version().nodeId());
        } catch (NumberFormatException ex) {
            throw new PoisonEventException("version.hlc is not a 64-bit integer: " + e.version().hlc());
        }
    }

    public static float[] decodeVector(String base64, String chunkId) throws PoisonEventException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException ex) {
            throw new PoisonEventException("chunk " + chunkId + ": vector is not base64");
        }
        require(bytes.length > 0 && bytes.length % 4 == 0, "chunk " + chunkId + ": vector is not float32 values");
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    public static String encodeVector(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    public static String eventId(String docId, Version version) {
        return UUID.nameUUIDFromBytes((docId + '\u0000' + version).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String sha256(String text) {
        return text == null ? null : io.edgerag.common.Sha256.hex(text);
    }

    private static void require(boolean condition, String reason) throws PoisonEventException {
        if (!condition) {
            throw new PoisonEventException(reason);
        }
    }
}
