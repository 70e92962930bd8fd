package io.edgerag.api;

import io.edgerag.ingest.connector.Connectors;
import io.edgerag.ingest.connector.RunReport;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/admin/connectors/{name}/sync} (admin): runs a source connector now, after the run under
 * way if any, and answers its report — 404 for an unknown name, 409 for a disabled connector, 503 when the
 * source cannot be read (the connector retries on its own at the next poll).
 */
@Path("/api/admin/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorAdminResource {

    private final Connectors connectors;

    public ConnectorAdminResource(Connectors connectors) {
        this.connectors = connectors;
    }

    @POST
    @Path("/{name}/sync")
    public Uni<RunReport> sync(@PathParam("name") String name) {
        CompletableFuture<RunReport> run;
        try {
            run = connectors.syncNow(name).orElseThrow(() -> new NotFoundException("No connector named '" + name
                    + "'; configured: " + (connectors.names().isEmpty() ? "none" : String.join(", ", connectors.names()))));
        } catch (IllegalStateException disabled) {
            throw new WebApplicationException(disabled.getMessage(), Response.Status.CONFLICT);
        }
        return Uni.createFrom().completionStage(run).onFailure().transform(ConnectorAdminResource::unavailable);
    }

    private static Throwable unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return new WebApplicationException("Connector run failed: " + cause.getMessage(), cause,
                Response.Status.SERVICE_UNAVAILABLE);
    }
}
