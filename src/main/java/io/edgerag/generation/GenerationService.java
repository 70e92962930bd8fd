package io.edgerag.generation;

import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.retrieval.Passage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a grounded answer from Ollama token by token, or — when Ollama is unreachable, failing or
 * its circuit is open — an extractive answer from the passages, flagged degraded. Never fails the stream.
 *
 * <p>Traces: one {@code generate} span per answer, from the call to the last token, with the token
 * counts ({@code gen_ai.usage.input_tokens}/{@code output_tokens}), time to first token and whether the
 * answer was degraded.
 */
@ApplicationScoped
public class GenerationService {

    private static final Logger LOG = Logger.getLogger(GenerationService.class);

    private final StreamingChatModel model;
    private final String modelName;
    private final OllamaGate gate;
    private final int extractivePassages;
    private final Timer firstTokenTimer;
    private final DistributionSummary tokensPerSecond;
    private final Tracer tracer;

    public GenerationService(EdgeragConfig config, OllamaGate gate, MeterRegistry registry, Tracer tracer) {
        this.tracer = tracer;
        this.modelName = config.ollama().model();
        this.gate = gate;
        this.extractivePassages = config.generation().extractivePassages();
        this.model = OllamaStreamingChatModel.builder()
                .httpClientBuilder(new JdkHttpClientBuilder()
                        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                        .connectTimeout(config.ollama().connectTimeout())
                        .readTimeout(config.ollama().readTimeout()))
                .baseUrl(config.ollama().baseUrl())
                .modelName(modelName)
                .build();
        this.firstTokenTimer = Timer.builder("edgerag.generation.time.to.first.token")
                .description("From the request's arrival to Ollama's first token").publishPercentiles(0.5, 0.99)
                .register(registry);
        this.tokensPerSecond = DistributionSummary.builder("edgerag.generation.tokens.per.second")
                .description("Decode rate of a completed Ollama answer: tokens after the first, per second")
                .register(registry);
    }

    public String modelName() {
        return modelName;
    }

    /**
     * @param startNanos when the request arrived (time-to-first-token counts from there)
     * @param retrievalMs how long retrieval took, reported in {@code done}
     * @param trace the parent of the {@code generate} span (the request's span)
     */
    public Multi<ChatEvent> generate(String question, List<Passage> passages, List<ChatTurn> history,
                                     long startNanos, long retrievalMs, Context trace) {
        Span span = tracer.spanBuilder("generate").setParent(trace)
                .setAttribute("gen_ai.system", "ollama")
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.model", modelName)
                .setAttribute("edgerag.generation.passages", passages.size())
                .startSpan();
        Multi<ChatEvent> events;
        if (!gate.tryAcquire()) {
            events = degraded(question, passages, "Ollama circuit open: " + gate.lastError(), startNanos, retrievalMs);
        } else {
            ChatRequest request = ChatRequest.builder().messages(PromptBuilder.build(question, passages, history)).build();
            events = Multi.createFrom().emitter(emitter -> model.chat(request,
                    new Handler(emitter, question, passages, startNanos, retrievalMs)));
        }
        return events
                .onItem().invoke(event -> {
                    if (event instanceof ChatEvent.Done done) {
                        recordDone(span, done);
                    }
                })
                .onTermination().invoke((failure, cancelled) -> endSpan(span, failure));
    }

    private static void recordDone(Span span, ChatEvent.Done done) {
        span.setAttribute("gen_ai.usage.input_tokens", done.promptTokens());
        span.setAttribute("gen_ai.usage.output_tokens", done.completionTokens());
        span.setAttribute("edgerag.generation.degraded", done.degraded());
        if (done.firstTokenMs() != null) {
            span.setAttribute("edgerag.generation.ttft_ms", done.firstTokenMs());
        }
        if (done.degraded()) {
            span.setStatus(StatusCode.ERROR, String.valueOf(done.reason()));
        }
    }

    private static void endSpan(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private Multi<ChatEvent> degraded(String question, List<Passage> passages, String reason, long startNanos,
                                      long retrievalMs) {
        return Multi.createFrom().items(degradedEvents(question, passages, reason, startNanos, retrievalMs, 0));
    }

    private ChatEvent[] degradedEvents(String question, List<Passage> passages, String reason, long startNanos,
                                       long retrievalMs, int completionTokens) {
        String answer = ExtractiveAnswer.build(question, passages, extractivePassages);
        long total = (System.nanoTime() - startNanos) / 1_000_000;
        return new ChatEvent[] {new ChatEvent.Token(answer),
                new ChatEvent.Done(true, reason, "extractive", 0, completionTokens, retrievalMs, total, total)};
    }

    /** Bridges LangChain4j's streaming callbacks (on the HTTP client's thread) into the emitter. */
    private final class Handler implements StreamingChatResponseHandler {
        private final MultiEmitter<? super ChatEvent> emitter;
        private final String question;
        private final List<Passage> passages;
        private final long startNanos;
        private final long retrievalMs;
        private final AtomicReference<Long> firstTokenNanos = new AtomicReference<>();
        private int tokens;

        Handler(MultiEmitter<? super ChatEvent> emitter, String question, List<Passage> passages, long startNanos,
                long retrievalMs) {
            this.emitter = emitter;
            this.question = question;
            this.passages = passages;
            this.startNanos = startNanos;
            this.retrievalMs = retrievalMs;
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            if (emitter.isCancelled()) {
                context.streamingHandle().cancel();
                return;
            }
            String text = partial.text();
            if (text == null || text.isEmpty()) {
                return;
            }
            if (firstTokenNanos.compareAndSet(null, System.nanoTime())) {
                firstTokenTimer.record(Duration.ofNanos(firstTokenNanos.get() - startNanos));
            }
            tokens++;
            emitter.emit(new ChatEvent.Token(text));
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            gate.onSuccess();
            TokenUsage usage = response.tokenUsage();
            long now = System.nanoTime();
            Long ttft = firstTokenNanos.get() == null ? null : (firstTokenNanos.get() - startNanos) / 1_000_000;
            int outputTokens = usage == null || usage.outputTokenCount() == null ? tokens : usage.outputTokenCount();
            if (firstTokenNanos.get() != null && outputTokens > 1 && now > firstTokenNanos.get()) {
                tokensPerSecond.record((outputTokens - 1) * 1e9 / (now - firstTokenNanos.get()));
            }
            emitter.emit(new ChatEvent.Done(false, null, modelName,
                    usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                    outputTokens,
                    retrievalMs, ttft, (now - startNanos) / 1_000_000));
            emitter.complete();
        }

        @Override
        public void onError(Throwable error) {
            gate.onFailure(error);
            String reason = "Ollama failed: " + OllamaGate.describe(error);
            LOG.warnf("Answering degraded: %s", reason);
            if (tokens == 0) {
                for (ChatEvent event : degradedEvents(question, passages, reason, startNanos, retrievalMs, 0)) {
                    emitter.emit(event);
                }
            } else {
                long total = (System.nanoTime() - startNanos) / 1_000_000;
                Long ttft = (firstTokenNanos.get() - startNanos) / 1_000_000;
                emitter.emit(new ChatEvent.Done(true, reason + " (answer cut short)", modelName, 0, tokens,
                        retrievalMs, ttft, total));
            }
            emitter.complete();
        }
    }
}
