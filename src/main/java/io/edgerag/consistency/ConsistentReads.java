package io.edgerag.consistency;

import io.edgerag.common.Blocking;
import io.edgerag.retrieval.CloudStatus;
import io.edgerag.retrieval.RetrievalQuery;
import io.edgerag.retrieval.RetrievalResult;
import io.edgerag.retrieval.RetrievalService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Retrieval at a read level, with an optional read-your-writes token: the token is waited for (bounded by
 * {@code edgerag.consistency.read-wait}) on a worker thread; if this node has not applied it by then, the
 * cloud is asked regardless of confidence (the writer may have written it there with level {@code cloud},
 * or the sink may have). The report says which of these happened, so a stale answer is never silent.
 */
@ApplicationScoped
public class ConsistentReads {

    /**
     * {@code token}: none (no token), met (applied here already), waited (applied here within the wait),
     * cloud (not applied here in time; the cloud was asked and answered), unmet (not applied here, and the
     * cloud could not answer: the passages may not include the write).
     */
    public record Report(ReadLevel level, String token, long waitedMs) {
    }

    public record Result(RetrievalResult retrieval, Report report) {
    }

    private final RetrievalService retrieval;
    private final AppliedVersions applied;
    private final ConsistencyConfig config;
    private final ConsistencyMetrics metrics;

    public ConsistentReads(RetrievalService retrieval, AppliedVersions applied, ConsistencyConfig config,
                           ConsistencyMetrics metrics) {
        this.retrieval = retrieval;
        this.applied = applied;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Result> retrieve(RetrievalQuery query, int defaultK, ReadLevel level, ConsistencyToken token) {
        if (token == null) {
            return retrieval.retrieve(query, defaultK, level == ReadLevel.FRESH)
                    .map(r -> done(r, new Report(level, "none", 0)));
        }
        retrieval.validate(query, defaultK); // a bad query is a 400 before any waiting
        long start = System.nanoTime();
        return Blocking.call(() -> {
                    boolean now = applied.applied(token);
                    return now ? "met" : applied.awaitApplied(token, config.readWait()) ? "waited" : null;
                })
                .flatMap(state -> {
                    long waited = (System.nanoTime() - start) / 1_000_000;
                    if (state != null) {
                        return retrieval.retrieve(query, defaultK, level == ReadLevel.FRESH)
                                .map(r -> done(r, new Report(level, state, waited)));
                    }
                    return retrieval.retrieve(query, defaultK, true)
                            .map(r -> done(r, new Report(level, r.cloudStatus() == CloudStatus.USED ? "cloud" : "unmet", waited)));
                });
    }

    private Result done(RetrievalResult r, Report report) {
        metrics.read(report.level(), report.token(), Duration.ofMillis(report.waitedMs()));
        return new Result(r, report);
    }
}
