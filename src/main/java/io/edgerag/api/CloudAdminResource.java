package io.edgerag.api;

import io.edgerag.common.Blocking;
import io.edgerag.store.cloud.CloudStoreException;
import io.edgerag.sync.cloud.CloudReconciler;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/admin/cloud/reconcile}: runs the cloud → edge reconciler now and answers its summary
 * (scanned, published, skipped...). 409 where the cloud sink is off; 503 when the cloud store cannot be read.
 */
@Path("/api/admin/cloud")
@Produces(MediaType.APPLICATION_JSON)
public class CloudAdminResource {

    private final CloudReconciler reconciler;

    public CloudAdminResource(CloudReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @POST
    @Path("/reconcile")
    public Uni<CloudReconciler.Summary> reconcile() {
        if (!reconciler.enabled()) {
            throw new WebApplicationException("The reconciler runs where the cloud sink runs: set edgerag.cloud.sink.enabled=true",
                    Response.Status.CONFLICT);
        }
        return Blocking.call(reconciler::reconcile)
                .onFailure(CloudStoreException.class).transform(e -> new WebApplicationException(
                        "The cloud store cannot be reconciled now: " + e.getMessage(), Response.Status.SERVICE_UNAVAILABLE));
    }
}
