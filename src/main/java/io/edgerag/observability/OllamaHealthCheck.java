package io.edgerag.observability;

import io.edgerag.generation.OllamaGate;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ollama is optional: without it the appliance answers extractively. So this check stays UP and
 * reports {@code degraded: true} instead of taking the appliance out of rotation. Its probe
 * ({@code GET /api/tags}) opens the circuit when Ollama is gone.
 */
@Readiness
@ApplicationScoped
public class OllamaHealthCheck implements HealthCheck {

    private final OllamaGate gate;

    public OllamaHealthCheck(OllamaGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        boolean reachable = gate.probe();
        var builder = HealthCheckResponse.named("ollama").up().withData("degraded", !reachable)
                .withData("circuit", gate.state().name());
        if (!reachable && gate.lastError() != null) {
            builder.withData("error", gate.lastError());
        }
        return builder.build();
    }
}
