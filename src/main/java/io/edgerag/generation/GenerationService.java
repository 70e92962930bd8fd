package io.edgerag.generation;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.generation.canary.AnswerLedger;
import io.edgerag.generation.canary.Arm;
import io.edgerag.generation.canary.ModelRollout;
import io.edgerag.generation.canary.RolloutMetrics;
import io.edgerag.retrieval.Passage;
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
    /** How a degraded answer's reason starts when Ollama failed (rather than being down or its circuit open). */
    private static final String OLLAMA_FAILED = "Ollama failed: ";

    private final OllamaChatClient ollama;
    private final OllamaGate gate;
    private final PromptBudget budget;
    private final int extractivePassages;
    private final ModelRollout rollout;
    private final RolloutMetrics metrics;
    private final AnswerLedger answers;
    private final Tracer tracer;

    public GenerationService(EdgeragConfig config, OllamaGate gate, OllamaChatClient ollama, ModelRollout rollout,
                             RolloutMetrics metrics, AnswerLedger answers, Tracer tracer) {
        this.tracer = tracer;
        this.gate = gate;
        this.ollama = ollama;
        this.rollout = rollout;
        this.metrics = metrics;
        this.answers = answers;
        this.budget = new PromptBudget(config.generation().contextWindow(), config.generation().answerTokens());
        this.extractivePassages = config.generation().extractivePassages();
    }

    /** The stable chat model (the one {@code /v1/models} lists). */
    public String modelName() {
        return rollout.state().stableModel();
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
                                     Context trace, Arm arm) {
        Span span = tracer.spanBuilder("generate").setParent(trace)
                .setAttribute("gen_ai.system", "ollama")
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.model", arm.model())
                .setAttribute("edgerag.generation.arm", arm.name())
                .setAttribute("edgerag.generation.passages", prompt.passages().size())
                .setAttribute("edgerag.generation.prompt_tokens_estimated", prompt.size().estimatedTokens())
                .startSpan();
        Multi<ChatEvent> events;
        if (!gate.tryAcquire()) {
            events = degraded(question, prompt.passages(), "Ollama circuit open: " + gate.lastError(), startNanos,
                    retrievalMs);
        } else {
            events = Multi.createFrom().deferred(() -> {
                Answer answer = new Answer(question, prompt, startNanos, retrievalMs, arm);
                return ollama.chat(arm.model(), prompt.messages(), budget.contextWindow(), budget.answerTokens())
                        .filter(c -> c.done() || !c.content().isEmpty())
                        .map(answer::event)
                        .onCompletion().call(() -> answer.done ? Uni.createFrom().voidItem()
                                : Uni.createFrom().failure(new IOException("Ollama's stream ended before 'done'")))
                        .onFailure().recoverWithMulti(answer::failed)
                        .onCancellation().invoke(gate::abandonTrial);
            });
        }
        return events
                .map(event -> event instanceof ChatEvent.Done done ? answeredBy(arm, done) : event)
                .onItem().invoke(event -> {
                    if (event instanceof ChatEvent.Done done) {
                        recordDone(span, done);
                    }
                })
                .onTermination().invoke((failure, cancelled) -> endSpan(span, failure, cancelled));
    }

    /** Counts the answer for its arm and names it, so feedback can find the arm again. */
    private ChatEvent.Done answeredBy(Arm arm, ChatEvent.Done done) {
        boolean failed = done.reason() != null && done.reason().startsWith(OLLAMA_FAILED);
        metrics.answered(arm.name(), failed ? RolloutMetrics.Outcome.error
                : done.degraded() ? RolloutMetrics.Outcome.degraded : RolloutMetrics.Outcome.ok);
        return done.answeredBy(arm.name(), answers.record(arm.name()));
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
        private final Arm arm;
        private long firstTokenNanos;
        private int tokens;
        private boolean done;

        Answer(String question, PromptBudget.Prompt prompt, long startNanos, long retrievalMs, Arm arm) {
            this.arm = arm;
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
                    metrics.firstToken(arm.name(), Duration.ofNanos(now - startNanos));
                }
                return new ChatEvent.Token(chunk.content());
            }
            done = true;
            gate.onSuccess();
            int outputTokens = chunk.evalCount() == null ? tokens : chunk.evalCount();
            Long ttft = tokens == 0 ? null : (firstTokenNanos - startNanos) / 1_000_000;
            if (tokens > 0 && outputTokens > 1 && now > firstTokenNanos) {
                metrics.decodeRate(arm.name(), (outputTokens - 1) * 1e9 / (now - firstTokenNanos));
            }
            return new ChatEvent.Done(false, null, arm.model(),
                    chunk.promptEvalCount() == null ? 0 : chunk.promptEvalCount(), outputTokens, retrievalMs, ttft,
                    (now - startNanos) / 1_000_000, prompt.size());
        }

        Multi<ChatEvent> failed(Throwable error) {
            gate.onFailure(error);
            String reason = OLLAMA_FAILED + OllamaGate.describe(error);
            LOG.warnf("Answering degraded: %s", reason);
            if (tokens == 0) {
                return Multi.createFrom().items(degradedEvents(question, prompt.passages(), reason, startNanos,
                        retrievalMs, prompt.size()));
            }
            long total = (System.nanoTime() - startNanos) / 1_000_000;
            return Multi.createFrom().item(new ChatEvent.Done(true, reason + " (answer cut short)", arm.model(), 0,
                    tokens, retrievalMs, (firstTokenNanos - startNanos) / 1_000_000, total, prompt.size()));
        }
    }
}
