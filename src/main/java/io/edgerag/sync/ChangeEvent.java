package io.edgerag.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One document change on topic {@code edgerag.changes} (key = docId), as JSON. The contract is in
 * ARCHITECTURE.md ("Change event"); {@link #CURRENT_SCHEMA} is bumped on any incompatible change and
 * a node dead-letters events of a schema it does not know rather than guessing.
 *
 * @param schemaVersion          version of this event format
 * @param eventId                the same for every copy of one change (name-based UUID of docId and version)
 * @param type                   {@code UPSERT} or {@code DELETE}
 * @param version                the version of the change; the greater wins everywhere
 * @param origin                 node that made the change
 * @param publishedAtMillis      when the origin published it (wall clock; the lag is measured from the HLC)
 * @param embeddingModel         model the vectors were made with (UPSERT)
 * @param embeddingSchemaVersion the chunking/embedding schema of that model's vectors (UPSERT)
 * @param chunks                 every chunk of the new state (UPSERT); empty for DELETE
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeEvent(
        int schemaVersion,
        String eventId,
        String type,
        String docId,
        EventVersion version,
        String origin,
        long publishedAtMillis,
        String title,
        String source,
        String collection,
        Map<String, String> metadata,
        String contentHash,
        String embeddingModel,
        Integer embeddingSchemaVersion,
        List<EventChunk> chunks) {

    public static final int CURRENT_SCHEMA = 1;
    public static final String UPSERT = "UPSERT";
    public static final String DELETE = "DELETE";

    /** HLC as a decimal string: numeric JSON loses precision above 2^53 in many consumers. */
    public record EventVersion(String hlc, String nodeId) {
    }

    /**
     * @param text     chunk text, or null when the text may not leave its edge
     * @param textHash SHA-256 of the text (hex), always present
     * @param vector   little-endian float32 values, base64
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventChunk(String chunkId, String text, String textHash, String vector) {
    }
}
