package io.edgerag.store.cloud;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One chunk as the cloud stores it: id = chunkId, the vector, and flat string metadata. The metadata
 * keys below are the contract between the edge's writers (cloud sink, reconciler) and readers
 * (cloud retrieval); adapters store any other key too.
 */
public record CloudRecord(String id, float[] vector, Map<String, String> metadata) {

    public static final String DOC_ID = "docId";
    /** Document version: the HLC as a decimal string (a long would not survive a double round trip). */
    public static final String VERSION_HLC = "version_hlc";
    /** Document version: the id of the node that wrote it (the tie-breaker of the conflict rule). */
    public static final String VERSION_NODE = "version_node";
    /** Chunk text; absent for residency-restricted collections, where only {@link #TEXT_HASH} goes. */
    public static final String TEXT = "text";
    /** SHA-256 (hex) of the full chunk text. */
    public static final String TEXT_HASH = "text_hash";
    /** "true" when an adapter had to shorten {@link #TEXT} to fit the backend's metadata limit. */
    public static final String TEXT_TRUNCATED = "text_truncated";
    public static final String TITLE = "title";
    public static final String SOURCE = "source";

    public CloudRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * A chunk with its version; {@code text} null for residency-restricted collections (the hash always
     * goes). Null title/source are left out: cloud metadata has no nulls.
     */
    public static CloudRecord chunk(String chunkId, String docId, float[] vector, String text, String textHash,
                                    String title, String source, long versionHlc, String versionNode) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(DOC_ID, Objects.requireNonNull(docId, "docId"));
        metadata.put(VERSION_HLC, Long.toString(versionHlc));
        metadata.put(VERSION_NODE, Objects.requireNonNull(versionNode, "versionNode"));
        putIfPresent(metadata, TEXT, text);
        putIfPresent(metadata, TEXT_HASH, textHash);
        putIfPresent(metadata, TITLE, title);
        putIfPresent(metadata, SOURCE, source);
        return new CloudRecord(chunkId, vector, metadata);
    }

    public String docId() {
        return metadata.get(DOC_ID);
    }

    /** The HLC part of the document version, or -1 when the record carries none. */
    public long versionHlc() {
        String hlc = metadata.get(VERSION_HLC);
        return hlc == null ? -1 : Long.parseLong(hlc);
    }

    public String versionNode() {
        return metadata.get(VERSION_NODE);
    }

    /** This record with one more metadata entry (or {@code key} replaced). */
    public CloudRecord with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(metadata);
        more.put(key, value);
        return new CloudRecord(id, vector, more);
    }

    private static void putIfPresent(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudRecord r && id.equals(r.id) && Arrays.equals(vector, r.vector)
                && metadata.equals(r.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(vector), metadata);
    }

    @Override
    public String toString() {
        return "CloudRecord[id=" + id + ", dim=" + vector.length + ", metadata=" + metadata.keySet() + "]";
    }
}
