package io.edgerag.api;

import io.edgerag.audit.AuditChain;
import io.edgerag.audit.AuditExport;
import io.edgerag.audit.AuditTrail;
import io.edgerag.common.InvalidRequestException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The audit trail for admins: {@code GET /api/admin/audit/verify} checks the hash chain of the live log,
 * {@code GET /api/admin/audit/export?since=<ISO-8601 instant>} streams its entries as JSON lines
 * (verifiable offline with {@code java -jar edgerag.jar audit verify <file>} when exported from the start).
 */
@Path("/api/admin/audit")
public class AuditResource {

    public static final String JSON_LINES = "application/jsonl";

    private final AuditTrail trail;

    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public AuditChain.Report verify() {
        return AuditChain.verify(trail.file(), trail.durableLength());
    }

    @GET
    @Path("/export")
    @Produces(JSON_LINES)
    @Blocking
    public StreamingOutput export(@QueryParam("since") String since) {
        Instant from = parse(since);
        return out -> AuditExport.write(trail, from, out);
    }

    private static Instant parse(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("'since' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, was '"
                    + since + "'");
        }
    }
}
