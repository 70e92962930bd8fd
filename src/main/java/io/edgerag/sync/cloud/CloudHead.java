package io.edgerag.sync.cloud;

import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.local.ConflictRule.DocState;
import io.edgerag.store.local.Version;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sink's bookkeeping record of one document in the cloud: the version the change log last carried
 * for it (what every write to the cloud is compared with), whether that was a delete, and which
 * collection its chunks live in (deletes carry no collection). Stored in the versions namespace with
 * id = docId and a unit vector (the index takes vectors of one dimension only; the vector means nothing).
 *
 * <p>A deleted document keeps its head as a tombstone ({@link #TOMBSTONE} = "true"), so an older upsert
 * delivered later loses to it instead of bringing the document back.
 *
 * @param collection the collection of the live chunks, null for the default namespace (and for tombstones)
 */
public record CloudHead(String docId, Version version, boolean deleted, String collection, String contentHash) {

    public static final String TOMBSTONE = "tombstone";
    public static final String COLLECTION = "collection";
    public static final String CONTENT_HASH = "content_hash";

    public DocState state() {
        return new DocState(version, deleted, contentHash);
    }

    public CloudRecord toRecord(int dimension) {
        Map<String, String> md = new LinkedHashMap<>();
        md.put(CloudRecord.DOC_ID, docId);
        md.put(CloudRecord.VERSION_HLC, Long.toString(version.hlc()));
        md.put(CloudRecord.VERSION_NODE, version.nodeId());
        md.put(TOMBSTONE, Boolean.toString(deleted));
        if (collection != null) {
            md.put(COLLECTION, collection);
        }
        if (contentHash != null) {
            md.put(CONTENT_HASH, contentHash);
        }
        return new CloudRecord(docId, unit(dimension), md);
    }

    /** The head a record of the versions namespace describes; null when it is not one (no version). */
    public static CloudHead fromRecord(CloudRecord r) {
        Version v = CloudVersions.versionOf(r.metadata());
        if (v == null) {
            return null;
        }
        String docId = r.metadata().getOrDefault(CloudRecord.DOC_ID, r.id());
        return new CloudHead(docId, v, "true".equals(r.metadata().get(TOMBSTONE)), r.metadata().get(COLLECTION),
                r.metadata().get(CONTENT_HASH));
    }

    static float[] unit(int dimension) {
        float[] v = new float[dimension];
        Arrays.fill(v, 0f);
        v[0] = 1f;
        return v;
    }
}
