package io.edgerag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

/** An RFC 7807 problem detail; every error the API returns has this shape and media type. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(int status, String title, String detail, String instance) {
        return new Problem("https://edgerag.io/problems/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-"),
                title, status, detail, instance);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 503 + {@code Retry-After}: a lane was full; nothing was done, the same request may be sent again. */
    public static Response overloaded(io.edgerag.admission.OverloadedException e, String path) {
        return Response.fromResponse(of(503, "Service Unavailable", e.getMessage(), path).toResponse())
                .header("Retry-After", Long.toString(e.retryAfterSeconds())).build();
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(toJson()).build();
    }
}
