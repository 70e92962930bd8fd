package io.edgerag.generation.canary;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which chat model answers whom: the stable model, and optionally a canary for a share of sessions.
 *
 * <p>A session's bucket is a fixed point in [0, 1) derived from the hash of its key, and it is on the
 * canary while its bucket is below the share. So a user stays on one arm from chat to chat, and raising
 * the share only moves stable users over (nobody flips back and forth during a ramp-up). Changed live
 * through {@code /api/admin/canary} (set, promote, roll back); the configuration gives the start state.
 */
@ApplicationScoped
public class ModelRollout {

    private static final Logger LOG = Logger.getLogger(ModelRollout.class);

    /** What is rolled out now; replaced as a whole so a chat never sees half a change. */
    public record State(String stableModel, String canaryModel, double share) {
        public State {
            if (Double.isNaN(share) || share < 0 || share > 1) {
                throw new InvalidRequestException("canary share must be between 0 and 1, got " + share);
            }
            if (canaryModel != null && canaryModel.isBlank()) {
                canaryModel = null;
            }
            if (canaryModel == null) {
                share = 0;
            }
        }
    }

    private volatile State state;

    @Inject
    public ModelRollout(EdgeragConfig config) {
        this(config.ollama().model(), config.generation().canary().model().orElse(null),
                config.generation().canary().share());
    }

    public ModelRollout(String stableModel, String canaryModel, double share) {
        this.state = new State(stableModel, canaryModel, share);
    }

    public State state() {
        return state;
    }

    /** The arm for a session; {@code stickyKey} null or blank = the stable arm (nothing to stay on). */
    public Arm assign(String stickyKey) {
        State now = state;
        if (now.canaryModel() != null && stickyKey != null && !stickyKey.isBlank() && bucket(stickyKey) < now.share()) {
            return new Arm(Arm.CANARY, now.canaryModel());
        }
        return new Arm(Arm.STABLE, now.stableModel());
    }

    public synchronized State startCanary(String model, double share) {
        if (model == null || model.isBlank()) {
            throw new InvalidRequestException("a canary needs the Ollama model to try");
        }
        return change(new State(state.stableModel(), model.strip(), share), "canary set");
    }

    /** The canary becomes the stable model for everyone. */
    public synchronized State promote() {
        if (state.canaryModel() == null) {
            throw new InvalidRequestException("there is no canary to promote");
        }
        return change(new State(state.canaryModel(), null, 0), "canary promoted");
    }

    /** Everyone back on the stable model. */
    public synchronized State rollback() {
        return change(new State(state.stableModel(), null, 0), "canary rolled back");
    }

    private State change(State next, String what) {
        LOG.infof("Model rollout: %s: stable=%s canary=%s share=%.3f", what, next.stableModel(), next.canaryModel(),
                next.share());
        state = next;
        return next;
    }

    /** A fixed point in [0, 1) for a key: the top 53 bits of its SHA-256. */
    static double bucket(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
