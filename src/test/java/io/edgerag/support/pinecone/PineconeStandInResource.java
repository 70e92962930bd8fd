package io.edgerag.support.pinecone;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link PineconeStandInServer} (384 dimensions, the in-process embedding models') and points the
 * appliance's Pinecone adapter at it in plaintext. The budget and breaker are set for a loaded 2-core CI
 * box: long enough that a healthy loopback call fits, short enough to keep the tests quick.
 */
public class PineconeStandInResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "pcsk_standin_key";
    private static volatile PineconeStandInServer server;

    public static PineconeStandInServer standIn() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new PineconeStandInServer(384, API_KEY);
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start the Pinecone stand-in", e);
        }
        return Map.of(
                "edgerag.cloud.store", "pinecone",
                "edgerag.cloud.pinecone.index-host", server.host(),
                "edgerag.cloud.pinecone.api-key", API_KEY,
                "edgerag.cloud.pinecone.tls", "false",
                "edgerag.cloud.pinecone.max-retries", "1",
                "edgerag.retrieval.cloud-budget", "600ms",
                "edgerag.retrieval.cloud-breaker.delay", "1s");
    }

    @Override
    public void stop() {
        server.stop();
    }
}
