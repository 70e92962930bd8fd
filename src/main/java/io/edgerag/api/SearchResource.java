package io.edgerag.api;

import io.edgerag.admission.Lanes;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.consistency.ConsistencyToken;
import io.edgerag.consistency.ConsistentReads;
import io.edgerag.consistency.ReadLevel;
import io.edgerag.retrieval.Passage;
import io.edgerag.retrieval.RetrievalMode;
import io.edgerag.retrieval.RetrievalQuery;
import io.edgerag.security.Caller;
import io.vertx.ext.web.RoutingContext;
import io.edgerag.retrieval.RetrievalService;
import io.edgerag.retrieval.fusion.FusionMethod;
import io.edgerag.store.local.InvalidStoreRequestException;
import io.edgerag.store.local.SearchFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

@Path("/api/search")
public class SearchResource {

    /**
     * {@code mode}: vector | keyword | hybrid (default: {@code edgerag.retrieval.mode}); {@code fusion}: rrf |
     * weighted (hybrid only); {@code filter}: metadata equality; {@code source}: the document source;
     * {@code dateRange}: {@code {"key": "date", "from": "2024-01-01", "to": "2024-12-31T23:59:59Z"}} on a
     * metadata value read as an ISO-8601 date. {@code consistency}: local (default) | fresh;
     * {@code consistencyToken}: a write's token, waited for (README "Consistency levels").
     */
    public record SearchBody(String query, Integer k, String collection, Map<String, String> filter, String source,
                             DateRangeBody dateRange, String mode, String fusion, String consistency,
                             String consistencyToken) {
    }

    public record DateRangeBody(String key, String from, String to) {
        SearchFilter.DateRange parse() {
            return new SearchFilter.DateRange(key, instant("from", from), instant("to", to));
        }

        private static Instant instant(String which, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return SearchFilter.epochMillis(value.trim()).stream().mapToObj(Instant::ofEpochMilli).findFirst()
                    .orElseThrow(() -> new InvalidRequestException("dateRange." + which + " must be an ISO-8601 date "
                            + "(2024-05-01) or instant (2024-05-01T10:00:00Z), got '" + value + "'"));
        }
    }

    /**
     * {@code cloudStatus}: disabled | skipped | used | timeout | open | error | unfilterable (see {@code CloudStatus});
     * {@code embeddingModel}: the model the query was embedded with, the only one whose vectors were searched.
     */
    public record SearchResponse(List<Passage> results, String tier, String mode, long tookMs, String cloudStatus,
                                 ConsistentReads.Report consistency, String embeddingModel) {
    }

    private final RetrievalService retrieval;
    private final Lanes lanes;
    private final ConsistentReads reads;

    @jakarta.inject.Inject
    io.edgerag.security.InputLimits limits;

    public SearchResource(RetrievalService retrieval, Lanes lanes, ConsistentReads reads) {
        this.retrieval = retrieval;
        this.lanes = lanes;
        this.reads = reads;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SearchResponse> search(SearchBody body, RoutingContext routing) {
        if (body == null) {
            throw new InvalidRequestException("Request body is empty: send {\"query\": \"...\"}");
        }
        limits.checkQuestion("query", body.query());
        RetrievalMode mode = RetrievalMode.parse(body.mode(), retrieval.defaultMode());
        SearchFilter.DateRange dateRange;
        try {
            dateRange = body.dateRange() == null ? null : body.dateRange().parse();
        } catch (InvalidStoreRequestException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        RetrievalQuery query = new RetrievalQuery(body.query(), body.k(), body.collection(), body.filter(), body.source(),
                dateRange, mode, FusionMethod.parse(body.fusion(), null)).scopedTo(Caller.of(routing));
        ReadLevel level = ReadLevel.parse(body.consistency());
        ConsistencyToken token = ConsistencyToken.parse(body.consistencyToken());
        // validated now (400 before any wait); searched later, in the search lane (503 when it is full)
        Uni<ConsistentReads.Result> search = reads.retrieve(query, retrieval.defaultK(), level, token);
        return lanes.search().run(() -> search).map(c -> {
            var r = c.retrieval();
            return new SearchResponse(r.passages(), r.tier(), mode.wire(), r.tookMs(), r.cloudStatus().wire(), c.report(),
                    r.embeddingModel());
        });
    }
}
