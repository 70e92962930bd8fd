package io.edgerag.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the {@link OllamaStandInServer} and points the appliance at it. */
public class OllamaStandInResource implements QuarkusTestResourceLifecycleManager {

    private OllamaStandInServer server;

    @Override
    public Map<String, String> start() {
        server = new OllamaStandInServer();
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start the Ollama stand-in", e);
        }
        return Map.of("edgerag.ollama.base-url", server.baseUrl(), "edgerag.ollama.model", OllamaStandInServer.MODEL);
    }

    @Override
    public void stop() {
        server.stop();
    }
}
