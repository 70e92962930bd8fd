package io.edgerag.api;

import io.edgerag.common.Blocking;
import io.edgerag.embedding.migration.EmbeddingMigrations;
import io.edgerag.embedding.migration.MigrationView;
import io.edgerag.common.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The embedding model lifecycle (admin role): {@code GET} the model served, the migration under way with
 * progress, ETA and every node's state; {@code POST migrations} starts a blue-green re-embedding to
 * {@code targetModel} (400 for an unknown model, 409 while one runs); {@code cut-over}, {@code rollback}
 * and {@code finalize} move it on (409 when the phase does not allow it).
 */
@Path("/api/admin/embedding")
@Produces(MediaType.APPLICATION_JSON)
public class EmbeddingAdminResource {

    public record StartBody(String targetModel) {
    }

    private final EmbeddingMigrations migrations;

    public EmbeddingAdminResource(EmbeddingMigrations migrations) {
        this.migrations = migrations;
    }

    @GET
    public Uni<MigrationView> state() {
        return Blocking.call(migrations::view);
    }

    @POST
    @Path("/migrations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(StartBody body) {
        if (body == null) {
            throw new InvalidRequestException("send {\"targetModel\": \"bge-small-en-v15-q\"}");
        }
        return Blocking.call(() -> migrations.start(body.targetModel()))
                .map(view -> Response.status(202).entity(view).build());
    }

    @POST
    @Path("/migrations/cut-over")
    public Uni<MigrationView> cutOver() {
        return Blocking.call(migrations::cutOver);
    }

    @POST
    @Path("/migrations/rollback")
    public Uni<MigrationView> rollback() {
        return Blocking.call(migrations::rollback);
    }

    @POST
    @Path("/migrations/finalize")
    public Uni<MigrationView> finalizeMigration() {
        return Blocking.call(migrations::finalizeMigration);
    }
}
