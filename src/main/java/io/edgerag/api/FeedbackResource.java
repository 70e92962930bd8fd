package io.edgerag.api;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.generation.canary.AnswerLedger;
import io.edgerag.generation.canary.RolloutMetrics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/feedback {"answerId": "...", "vote": "up" | "down"}} (reader role): a user's thumbs on
 * an answer, counted for the model rollout arm that gave it ({@code edgerag_generation_feedback_total}).
 * The answer id comes in the chat's {@code done} event; one vote per answer.
 */
@Path("/api/feedback")
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

    public record FeedbackBody(String answerId, String vote) {
    }

    public record Counted(String answerId, String arm, String vote) {
    }

    private final AnswerLedger answers;
    private final RolloutMetrics metrics;

    public FeedbackResource(AnswerLedger answers, RolloutMetrics metrics) {
        this.answers = answers;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Counted vote(FeedbackBody body) {
        if (body == null || body.answerId() == null || body.answerId().isBlank()) {
            throw new InvalidRequestException("send {\"answerId\": \"<from the chat's done event>\", \"vote\": \"up\"}");
        }
        RolloutMetrics.Vote vote = parse(body.vote());
        AnswerLedger.Rating rating = answers.rate(body.answerId());
        switch (rating.status()) {
            case UNKNOWN -> throw new NotFoundException("No recent answer '" + body.answerId()
                    + "' (feedback is taken for the last " + AnswerLedger.CAPACITY + " answers)");
            case ALREADY_RATED -> throw new WebApplicationException("Answer '" + body.answerId() + "' was rated already",
                    Response.Status.CONFLICT);
            case COUNTED -> metrics.feedback(rating.arm(), vote);
        }
        return new Counted(body.answerId(), rating.arm(), vote.name());
    }

    private static RolloutMetrics.Vote parse(String vote) {
        try {
            return RolloutMetrics.Vote.valueOf(String.valueOf(vote).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("vote must be 'up' or 'down', got '" + vote + "'");
        }
    }
}
