package io.edgerag.api;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.generation.canary.Arm;
import io.edgerag.generation.canary.ModelRollout;
import io.edgerag.generation.canary.RolloutMetrics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * The chat model rollout, live (admin role): {@code GET} the state with each arm's record so far,
 * {@code PUT} a canary model and its share, {@code POST promote} (the canary becomes stable for all) or
 * {@code POST rollback} (everyone back on stable). The configuration sets the state at start-up only.
 */
@Path("/api/admin/canary")
@Produces(MediaType.APPLICATION_JSON)
public class CanaryAdminResource {

    public record CanaryBody(String model, Double share) {
    }

    public record RolloutView(String stableModel, String canaryModel, double share, Map<String, Map<String, Object>> arms) {
    }

    private final ModelRollout rollout;
    private final RolloutMetrics metrics;

    public CanaryAdminResource(ModelRollout rollout, RolloutMetrics metrics) {
        this.rollout = rollout;
        this.metrics = metrics;
    }

    @GET
    public RolloutView state() {
        return view(rollout.state());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public RolloutView start(CanaryBody body) {
        if (body == null || body.share() == null) {
            throw new InvalidRequestException("send {\"model\": \"<ollama model>\", \"share\": 0.1}");
        }
        return view(rollout.startCanary(body.model(), body.share()));
    }

    @POST
    @Path("/promote")
    public RolloutView promote() {
        return view(rollout.promote());
    }

    @POST
    @Path("/rollback")
    public RolloutView rollback() {
        return view(rollout.rollback());
    }

    private RolloutView view(ModelRollout.State s) {
        return new RolloutView(s.stableModel(), s.canaryModel(), s.share(),
                Map.of(Arm.STABLE, metrics.summary(Arm.STABLE), Arm.CANARY, metrics.summary(Arm.CANARY)));
    }
}
