package io.edgerag.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.ingest.UnsupportedDocumentTypeException;
import io.edgerag.store.local.InvalidStoreRequestException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to {@code application/problem+json}; stack traces go to the log only. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, HttpServerRequest request) {
        return Problem.of(400, "Bad Request", e.getMessage(), request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidStoreRequest(InvalidStoreRequestException e, HttpServerRequest request) {
        return Problem.of(400, "Bad Request", e.getMessage(), request.path()).toResponse();
    }

    /** The broker has been away so long that the outbox budget is spent: reads go on, writes wait. */
    @ServerExceptionMapper
    public Response outboxFull(io.edgerag.store.local.OutboxFullException e, HttpServerRequest request) {
        return Response.fromResponse(Problem.of(503, "Service Unavailable", e.getMessage(), request.path()).toResponse())
                .header("Retry-After", "30").build();
    }

    /** A lane (search, ingest, generation with on-overload=reject) is full: come back after Retry-After. */
    @ServerExceptionMapper
    public Response overloaded(io.edgerag.admission.OverloadedException e, HttpServerRequest request) {
        return Problem.overloaded(e, request.path());
    }

    /** The backup is safe on local disk; the object store refused or could not be reached. */
    @ServerExceptionMapper
    public Response backupUpload(io.edgerag.backup.BackupUploadException e, HttpServerRequest request) {
        LOG.warnf(e, "Backup upload failed");
        return Problem.of(502, "Bad Gateway", e.getMessage(), request.path()).toResponse();
    }

    /** An embedding migration step the phase does not allow (a second start, finalize before cut-over). */
    @ServerExceptionMapper
    public Response migrationConflict(io.edgerag.store.local.EmbeddingMigrationConflictException e, HttpServerRequest request) {
        return Problem.of(409, "Conflict", e.getMessage(), request.path()).toResponse();
    }

    /** A cut-over or rollback kept swapping the model under a request three times over: rare; come back at once. */
    @ServerExceptionMapper
    public Response modelChanged(io.edgerag.store.local.EmbeddingModelChangedException e, HttpServerRequest request) {
        return Response.fromResponse(Problem.of(503, "Service Unavailable", e.getMessage(), request.path()).toResponse())
                .header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response forbiddenCollection(io.edgerag.security.CollectionForbiddenException e, HttpServerRequest request) {
        return Problem.of(403, "Forbidden", e.getMessage(), request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response unsupportedType(UnsupportedDocumentTypeException e, HttpServerRequest request) {
        return Problem.of(415, "Unsupported Media Type", e.getMessage(), request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, HttpServerRequest request) {
        String what = e instanceof MismatchedInputException ? "Request body does not match the expected JSON shape: "
                : "Malformed JSON: ";
        return Problem.of(400, "Bad Request", what + e.getOriginalMessage(), request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return malformedJson(json, request);
        }
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = e.getMessage();
        if (status == 415) {
            detail = "Content type '" + request.getHeader("Content-Type") + "' is not supported here";
        } else if (status == 406) {
            detail = "Cannot produce a response for Accept '" + request.getHeader("Accept") + "'";
        }
        return Problem.of(status, title, detail, request.path()).toResponse();
    }

    /** A multipart body that breaks off or breaks its framing (found by the API fuzz campaign: it was a 500). */
    @ServerExceptionMapper
    public Response malformedMultipart(org.jboss.resteasy.reactive.server.core.multipart.MultipartParser.MalformedMessageException e,
                                       HttpServerRequest request) {
        return Problem.of(400, "Bad Request", "Malformed multipart body: check the boundaries and that the body "
                + "ends with the closing boundary", request.path()).toResponse();
    }

    /** The multipart reader fails with a bare IOException when the body ends before its closing boundary. */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            return Problem.of(400, "Bad Request", "Malformed multipart body: " + e.getMessage(), request.path()).toResponse();
        }
        return unexpected(e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "Unexpected error on %s %s", request.method(), request.path());
        return Problem.of(500, "Internal Server Error", "Unexpected error; the server log has the details",
                request.path()).toResponse();
    }
}
