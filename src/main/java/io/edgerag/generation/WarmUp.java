package io.edgerag.generation;

import io.edgerag.common.Blocking;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.EmbeddingModels;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start-up, so the first user does not pay the cold start: embeds one query (the ONNX session and
 * tokenizer load on first use) and asks Ollama to load the chat model and keep it for {@code keep-alive}.
 * Both run in the background; a missing Ollama is logged, never fatal (chats then answer extractively).
 * Off with {@code edgerag.ollama.warm-up=false}.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStart(@Observes StartupEvent event, EdgeragConfig config, EmbeddingModels models, OllamaChatClient ollama) {
        if (!config.ollama().warmUp()) {
            return;
        }
        long start = System.nanoTime();
        // the store's model, which a migration may have made another than the configured one
        Blocking.call(() -> models.serving().embedQuery("warm-up")).subscribe().with(
                v -> LOG.infof("Warm-up: embedding model %s loaded in %d ms", models.servingId(),
                        (System.nanoTime() - start) / 1_000_000),
                e -> LOG.warnf("Warm-up: embedding model failed: %s", OllamaGate.describe(e)));
        ollama.warmUp().subscribe().with(
                v -> LOG.infof("Warm-up: Ollama loaded %s (keep_alive %s) in %d ms", ollama.model(),
                        config.ollama().keepAlive(), (System.nanoTime() - start) / 1_000_000),
                e -> LOG.warnf("Warm-up: Ollama at %s did not load %s: %s (chats answer extractively until it is back)",
                        config.ollama().baseUrl(), ollama.model(), OllamaGate.describe(e)));
    }
}
