package io.edgerag.generation;

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
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Streams a grounded answer from Ollama token by token, or — when Ollama is unreachable, failing or
 * its circuit is open — an extractive answer from the passages, flagged degraded. Never fails the stream.
 * Demand and cancellation go through to Ollama's socket ({@link OllamaChatClient}).
 *
 * <p>Traces: one {@code generate} span per answer, from the call to the last token, with the token
 * counts ({@code gen_ai.usage.input_tokens}/{@code output_tokens}), time to first token, whether the
 * answer was degraded, and whether its client went away ({@code edgerag.generation.cancelled}).
 */
@ApplicationScoped
public class GenerationService {

    private static final Logger LOG = Logger.getLogger(GenerationService.class);

    private final OllamaChatClient ollama;
    private final String modelName;
    private final OllamaGate gate;
    private final PromptBudget budget;
    private final int extractivePassages;
    private final Timer firstTokenTimer;
    private final DistributionSummary tokensPerSecond;
    private final Tracer tracer;

    public GenerationService(EdgeragConfig config, OllamaGate gate, OllamaChatClient ollama, MeterRegistry registry,
                             Tracer tracer) {
        this.tracer = tracer;
        this.modelName = config.ollama().model();
        this.gate = gate;
        this.ollama = ollama;
        this.budget = new PromptBudget(config.generation().contextWindow(), config.generation().answerTokens());
        this.extractivePassages = config.generation().extractivePassages();
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

    public PromptBudget budget() {
        return budget;
    }

    /**
     * @param startNanos when the request arrived (time-to-first-token counts from there)
     * @param retrievalMs how long retrieval took, reported in {@code done}
     * @param trace the parent of the {@code generate} span (the request's span)
     */
    public Multi<ChatEvent> generate(String question, PromptBudget.Prompt prompt, long startNanos, long retrievalMs,
                                     Context trace) {
        Span span = tracer.spanBuilder("generate").setParent(trace)
                .setAttribute("gen_ai.system", "ollama")
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.model", modelName)
                .setAttribute("edgerag.generation.passages", prompt.passages().size())
                .setAttribute("edgerag.generation.prompt_tokens_estimated", prompt.size().estimatedTokens())
                .startSpan();
        Multi<ChatEvent> events;
        if (!gate.tryAcquire()) {
            events = degraded(question, prompt.passages(), "Ollama circuit open: " + gate.lastError(), startNanos,
                    retrievalMs);
        } else {
            events = Multi.createFrom().deferred(() -> {
                Answer answer = new Answer(question, prompt, startNanos, retrievalMs);
                return ollama.chat(prompt.messages(), budget.contextWindow(), budget.answerTokens())
                        .filter(c -> c.done() || !c.content().isEmpty())
                        .map(answer::event)
                        .onCompletion().call(() -> answer.done ? Uni.createFrom().voidItem()
                                : Uni.createFrom().failure(new IOException("Ollama's stream ended before 'done'")))
                        .onFailure().recoverWithMulti(answer::failed)
                        .onCancellation().invoke(gate::abandonTrial);
            });
        }
        return events
                .onItem().invoke(event -> {
                    if (event instanceof ChatEvent.Done done) {
                        recordDone(span, done);
                    }
                })
                .onTermination().invoke((failure, cancelled) -> endSpan(span, failure, cancelled));
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

    private static void endSpan(Span span, Throwable failure, boolean cancelled) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        if (cancelled) {
            span.setAttribute("edgerag.generation.cancelled", true);
        }
        span.end();
    }

    /** The extractive answer, flagged degraded with {@code reason}. */
    public Multi<ChatEvent> degraded(String question, List<Passage> passages, String reason, long startNanos,
                                     long retrievalMs) {
        return Multi.createFrom().items(degradedEvents(question, passages, reason, startNanos, retrievalMs, null));
    }

    private ChatEvent[] degradedEvents(String question, List<Passage> passages, String reason, long startNanos,
                                       long retrievalMs, PromptBudget.Size prompt) {
        String answer = ExtractiveAnswer.build(question, passages, extractivePassages);
        long total = (System.nanoTime() - startNanos) / 1_000_000;
        return new ChatEvent[] {new ChatEvent.Token(answer),
                new ChatEvent.Done(true, reason, "extractive", 0, 0, retrievalMs, total, total, prompt)};
    }

    /** One answer's progress: first-token time, tokens so far, whether Ollama said done. */
    private final class Answer {
        private final String question;
        private final PromptBudget.Prompt prompt;
        private final long startNanos;
        private final long retrievalMs;
        private long firstTokenNanos;
        private int tokens;
        private boolean done;

        Answer(String question, PromptBudget.Prompt prompt, long startNanos, long retrievalMs) {
            this.question = question;
            this.prompt = prompt;
            this.startNanos = startNanos;
            this.retrievalMs = retrievalMs;
        }

        ChatEvent event(OllamaChatClient.Chunk chunk) {
            long now = System.nanoTime();
            if (!chunk.done()) {
                if (tokens++ == 0) {
                    firstTokenNanos = now;
                    firstTokenTimer.record(Duration.ofNanos(now - startNanos));
                }
                return new ChatEvent.Token(chunk.content());
            }
            done = true;
            gate.onSuccess();
            int outputTokens = chunk.evalCount() == null ? tokens : chunk.evalCount();
            Long ttft = tokens == 0 ? null : (firstTokenNanos - startNanos) / 1_000_000;
            if (tokens > 0 && outputTokens > 1 && now > firstTokenNanos) {
                tokensPerSecond.record((outputTokens - 1) * 1e9 / (now - firstTokenNanos));
            }
            return new ChatEvent.Done(false, null, modelName,
                    chunk.promptEvalCount() == null ? 0 : chunk.promptEvalCount(), outputTokens, retrievalMs, ttft,
                    (now - startNanos) / 1_000_000, prompt.size());
        }

        Multi<ChatEvent> failed(Throwable error) {
            gate.onFailure(error);
            String reason = "Ollama failed: " + OllamaGate.describe(error);
            LOG.warnf("Answering degraded: %s", reason);
            if (tokens == 0) {
                return Multi.createFrom().items(degradedEvents(question, prompt.passages(), reason, startNanos,
                        retrievalMs, prompt.size()));
            }
            long total = (System.nanoTime() - startNanos) / 1_000_000;
            return Multi.createFrom().item(new ChatEvent.Done(true, reason + " (answer cut short)", modelName, 0,
                    tokens, retrievalMs, (firstTokenNanos - startNanos) / 1_000_000, total, prompt.size()));
        }
    }
}
