package io.edgerag.api;

import io.edgerag.sync.SyncStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/sync}: this node's id, outbox, relay, inbound counts and sync lag. */
@Path("/api/sync")
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {

    private final SyncStatus status;

    public SyncResource(SyncStatus status) {
        this.status = status;
    }

    @GET
    public SyncStatus.Snapshot status() {
        return status.snapshot();
    }
}
