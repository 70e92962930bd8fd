package io.edgerag.api;

import io.edgerag.admission.Lanes;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.retrieval.Passage;
import io.edgerag.retrieval.RetrievalQuery;
import io.edgerag.retrieval.RetrievalService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

@Path("/api/search")
public class SearchResource {

    public record SearchBody(String query, Integer k, String collection, Map<String, String> filter) {
    }

    /** {@code cloudStatus}: disabled | skipped | used | timeout | open | error (see {@code CloudStatus}). */
    public record SearchResponse(List<Passage> results, String tier, long tookMs, String cloudStatus) {
    }

    private final RetrievalService retrieval;
    private final Lanes lanes;

    public SearchResource(RetrievalService retrieval, Lanes lanes) {
        this.retrieval = retrieval;
        this.lanes = lanes;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SearchResponse> search(SearchBody body) {
        if (body == null) {
            throw new InvalidRequestException("Request body is empty: send {\"query\": \"...\"}");
        }
        // validated now (400 before any wait); searched later, in the search lane (503 when it is full)
        Uni<io.edgerag.retrieval.RetrievalResult> search = retrieval.retrieve(
                new RetrievalQuery(body.query(), body.k(), body.collection(), body.filter()));
        return lanes.search().run(() -> search)
                .map(r -> new SearchResponse(r.passages(), r.tier(), r.tookMs(), r.cloudStatus().wire()));
    }
}
