package io.edgerag.store.cloud.pinecone;

import io.edgerag.store.cloud.InvalidCloudRequestException;
import io.pinecone.proto.Vector;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits vectors into upsert requests within Pinecone's per-request limits (vector count and bytes).
 * Sizes are the protobuf encodings that go on the wire, so the byte limit is what the server sees.
 */
final class UpsertBatches {

    /** The request's own fields (namespace, framing) besides the vectors. */
    private static final int REQUEST_OVERHEAD_BYTES = 1024;

    private UpsertBatches() {
    }

    static List<List<Vector>> split(List<Vector> vectors, int maxRecords, int maxBytes) {
        List<List<Vector>> batches = new ArrayList<>();
        List<Vector> current = new ArrayList<>();
        int currentBytes = REQUEST_OVERHEAD_BYTES;
        for (Vector v : vectors) {
            int bytes = v.getSerializedSize() + 8;
            if (REQUEST_OVERHEAD_BYTES + bytes > maxBytes) {
                throw new InvalidCloudRequestException("Record " + v.getId() + " alone is " + bytes
                        + " bytes, over the " + maxBytes + "-byte upsert limit");
            }
            if (current.size() == maxRecords || currentBytes + bytes > maxBytes) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = REQUEST_OVERHEAD_BYTES;
            }
            current.add(v);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
