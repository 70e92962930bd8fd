package io.edgerag.generation.canary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.DistributionSummary;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each arm of a model rollout is like, as Prometheus series labelled {@code arm}: answers by
 * outcome ({@code ok}, {@code degraded}, {@code error}), time to first token, decode rate, user feedback.
 * Two arms and three outcomes keep the label sets small.
 */
@ApplicationScoped
public class RolloutMetrics {

    public enum Outcome { ok, degraded, error }

    public enum Vote { up, down }

    private final MeterRegistry registry;

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void firstToken(String arm, Duration sinceRequest) {
        Timer.builder("edgerag.generation.time.to.first.token")
                .description("From the request's arrival to Ollama's first token").publishPercentiles(0.5, 0.99)
                .tag("arm", arm).register(registry).record(sinceRequest);
    }

    public void decodeRate(String arm, double tokensPerSecond) {
        DistributionSummary.builder("edgerag.generation.tokens.per.second")
                .description("Decode rate of a completed Ollama answer: tokens after the first, per second")
                .tag("arm", arm).register(registry).record(tokensPerSecond);
    }

    public void answered(String arm, Outcome outcome) {
        answers(arm, outcome).increment();
    }

    public void feedback(String arm, Vote vote) {
        votes(arm, vote).increment();
    }

    /** Counts per arm for the admin view: answers by outcome, votes, mean time to first token. */
    public Map<String, Object> summary(String arm) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            out.put(o.name(), (long) answers(arm, o).count());
        }
        for (Vote v : Vote.values()) {
            out.put("feedback_" + v.name(), (long) votes(arm, v).count());
        }
        Timer ttft = registry.find("edgerag.generation.time.to.first.token").tag("arm", arm).timer();
        out.put("meanFirstTokenMs", ttft == null || ttft.count() == 0 ? null
                : Math.round(ttft.mean(java.util.concurrent.TimeUnit.MILLISECONDS)));
        DistributionSummary rate = registry.find("edgerag.generation.tokens.per.second").tag("arm", arm).summary();
        out.put("meanTokensPerSecond", rate == null || rate.count() == 0 ? null : rate.mean());
        return out;
    }

    private Counter answers(String arm, Outcome outcome) {
        return Counter.builder("edgerag.generation.answers").description("Chat answers by rollout arm and outcome")
                .tag("arm", arm).tag("outcome", outcome.name()).register(registry);
    }

    private Counter votes(String arm, Vote vote) {
        return Counter.builder("edgerag.generation.feedback").description("User feedback on answers by rollout arm")
                .tag("arm", arm).tag("vote", vote.name()).register(registry);
    }
}
