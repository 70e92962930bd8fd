package io.edgerag.api;

import io.edgerag.backup.BackupManifest;
import io.edgerag.backup.Backups;
import io.edgerag.common.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * {@code POST /api/admin/backups}: a consistent backup now (201 with its manifest; uploaded too when
 * {@code edgerag.backup.s3.bucket} is set, 502 if that failed); {@code GET}: those kept locally;
 * {@code GET /api/admin/backups/s3}: those in the bucket.
 */
@Path("/api/admin/backups")
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {

    private final Backups backups;

    public BackupResource(Backups backups) {
        this.backups = backups;
    }

    @POST
    public Uni<Response> create() {
        return Blocking.call(backups::create).map(m -> Response.status(Response.Status.CREATED).entity(m).build());
    }

    @GET
    public Uni<List<BackupManifest>> list() {
        return Blocking.call(backups::list);
    }

    @GET
    @Path("s3")
    public Uni<List<BackupManifest>> listInBucket() {
        return Blocking.call(() -> backups.listInBucket().orElseThrow(() -> new NotFoundException(
                "no S3 bucket is configured for backups (edgerag.backup.s3.bucket)")));
    }
}
