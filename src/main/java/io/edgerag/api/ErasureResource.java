package io.edgerag.api;

import io.edgerag.erasure.ErasureReport;
import io.edgerag.erasure.ErasureReports;
import io.edgerag.erasure.SourceDeletion;
import io.edgerag.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Right to be forgotten: {@code DELETE /api/documents?source=<source>} deletes every document of a source
 * (writer role; only documents of collections the caller may see), {@code GET /api/documents/{id}/erasure}
 * reports where a deletion has been confirmed.
 * README "Right to be forgotten".
 */
@Path("/api/documents")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    /** The answer of a bulk delete: the tombstones made, one per document. */
    public record SourceDeleted(String source, int count, List<SourceDeletion.Deleted> deleted) {
    }

    private final SourceDeletion deletion;
    private final ErasureReports reports;

    public ErasureResource(SourceDeletion deletion, ErasureReports reports) {
        this.deletion = deletion;
        this.reports = reports;
    }

    @DELETE
    public Uni<SourceDeleted> deleteBySource(@QueryParam("source") String source, RoutingContext ctx) {
        return deletion.delete(source, Caller.of(ctx)).map(list -> new SourceDeleted(source, list.size(), list));
    }

    /** For callers who see every collection: a deleted document's collection is gone with it (as for its changes). */
    @GET
    @Path("/{id}/erasure")
    public Uni<ErasureReport> erasure(@PathParam("id") String id, RoutingContext ctx) {
        if (!Caller.of(ctx).seesAllCollections()) {
            throw new NotFoundException("No erasure report of '" + id + "' for a key scoped to collections");
        }
        return reports.report(id);
    }
}
