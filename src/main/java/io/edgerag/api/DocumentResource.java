package io.edgerag.api;

import io.edgerag.admission.Lanes;
import io.edgerag.consistency.AppliedVersions;
import io.edgerag.consistency.ConsistencyToken;
import io.edgerag.consistency.ConsistentWrites;
import io.edgerag.consistency.PriorityLane;
import io.edgerag.consistency.WriteLevel;
import io.edgerag.consistency.WriteOutcome;
import io.edgerag.ingest.IngestCommand;
import io.edgerag.ingest.IngestService;
import io.edgerag.security.Caller;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import io.edgerag.store.local.StoredDocument;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

@Path("/api/documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentResource {

    /**
     * Body of {@code POST /api/documents} as JSON. {@code consistency}: local | cloud | all (default: the
     * collection's, else {@code edgerag.consistency.default-write}); {@code priority}: high | normal (high: the
     * priority lane); see README "Consistency levels".
     */
    public record DocumentBody(String id, String title, String text, String source, String collection,
                               Map<String, String> metadata, String consistency, String priority) {
    }

    /** Response header carrying the read-your-writes token of every write (a delete's 204 has no body). */
    public static final String TOKEN_HEADER = "Edgerag-Consistency-Token";

    /**
     * A document version as clients see it: the HLC as a decimal string (it exceeds the 2^53 integers a
     * JavaScript number holds exactly) and the node that wrote it. The greater (hlc, nodeId) wins.
     */
    public record VersionView(String hlc, String nodeId) {
        static VersionView of(io.edgerag.store.local.Version v) {
            return new VersionView(Long.toString(v.hlc()), v.nodeId());
        }
    }

    /** {@code consistencyToken}: present it on a read to see this write (README "Consistency levels"). */
    public record Created(String id, int chunks, VersionView version, String consistencyToken, WriteOutcome consistency,
                          PriorityLane.Report priority) {
    }

    /** Body of a delete whose level was not met in time (202). */
    public record Deleted(String id, VersionView version, String consistencyToken, WriteOutcome consistency) {
    }

    public record DocumentView(String id, String title, String source, String collection,
                               Map<String, String> metadata, String contentHash, String embeddingModel,
                               int schemaVersion, int chunks, VersionView version, Instant updatedAt) {
        static DocumentView of(StoredDocument d) {
            return new DocumentView(d.docId(), d.title(), d.source(), d.collection(), d.metadata(), d.contentHash(),
                    d.embeddingModel(), d.schemaVersion(), d.chunks(), VersionView.of(d.version()), d.updatedAt());
        }
    }

    private final IngestService ingest;
    private final Lanes lanes;
    private final ConsistentWrites writes;
    private final AppliedVersions versions;
    private final PriorityLane lane;

    public DocumentResource(IngestService ingest, Lanes lanes, ConsistentWrites writes, AppliedVersions versions,
                            PriorityLane lane) {
        this.ingest = ingest;
        this.lanes = lanes;
        this.lane = lane;
        this.writes = writes;
        this.versions = versions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(DocumentBody body, RoutingContext routing) {
        IngestCommand command = body == null ? null
                : new IngestCommand(body.id(), body.title(), body.text(), body.source(), body.collection(), body.metadata());
        String collection = body == null ? null : blankToNull(body.collection());
        WriteLevel level = writes.level(body == null ? null : body.consistency(), collection);
        boolean priority = lane.wanted(body == null ? null : body.priority(), collection);
        // validated now (400 before any wait); embedded and written later, in the ingest lane; the wait for
        // the consistency level happens after it, so peers being slow never holds an ingest slot
        Uni<StoredDocument> write = ingest.ingest(command, Caller.of(routing));
        return lanes.ingest().run(() -> write).flatMap(stored -> created(stored, level, priority));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> upload(@RestForm("file") FileUpload file, @RestForm String id, @RestForm String title,
                                @RestForm String collection, @RestForm String consistency, RoutingContext routing) {
        if (file == null) {
            throw new io.edgerag.common.InvalidRequestException("Multipart upload needs a 'file' part");
        }
        WriteLevel level = writes.level(consistency, blankToNull(collection));
        boolean priority = lane.wanted(null, blankToNull(collection));
        return lanes.ingest().run(() -> io.edgerag.common.Blocking.call(() -> read(file))
                        .flatMap(bytes -> ingest.ingestFile(file.fileName(), file.contentType(), bytes, id, title, collection,
                                Caller.of(routing))))
                .flatMap(stored -> created(stored, level, priority));
    }

    @GET
    @Path("/{id}")
    public Uni<DocumentView> get(@PathParam("id") String id, RoutingContext routing) {
        return ingest.get(id, Caller.of(routing)).map(found -> found.map(DocumentView::of)
                .orElseThrow(() -> new NotFoundException("No document with id '" + id + "'")));
    }

    /** One applied change of a document on this node. */
    public record ChangeView(long seq, String type, VersionView version, Instant appliedAt) {
    }

    /** The changes applied to a document on this node, oldest first (also after it was deleted). */
    @GET
    @Path("/{id}/changes")
    public Uni<java.util.List<ChangeView>> changes(@PathParam("id") String id, RoutingContext routing) {
        Caller caller = Caller.of(routing);
        // a deleted document's collection is gone with it: its history is for callers who see every collection
        Uni<Boolean> visible = caller.seesAllCollections() ? Uni.createFrom().item(true)
                : ingest.get(id, caller).map(Optional::isPresent);
        return visible.flatMap(yes -> yes ? ingest.history(id)
                : Uni.createFrom().item(java.util.List.<io.edgerag.store.local.StoreRecords.AppliedChange>of())).map(list -> {
            if (list.isEmpty()) {
                throw new NotFoundException("No changes of a document with id '" + id + "'");
            }
            return list.stream().map(c -> new ChangeView(c.seq(), c.type().name(), VersionView.of(c.version()), c.at())).toList();
        });
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @QueryParam("consistency") String consistency,
                                RoutingContext routing) {
        WriteLevel.parse(consistency, WriteLevel.LOCAL); // a bad level is a 400 before anything is deleted
        Caller caller = Caller.of(routing);
        return ingest.get(id)
                .flatMap(found -> {
                    if (found.isPresent() && !caller.mayAccess(found.get().collection())) {
                        throw new NotFoundException("No document with id '" + id + "'"); // out of scope = not there
                    }
                    WriteLevel level = writes.level(consistency, found.map(StoredDocument::collection).orElse(null));
                    return ingest.delete(id, caller).flatMap(deleted -> {
                        if (!deleted) {
                            throw new NotFoundException("No document with id '" + id + "'");
                        }
                        return io.edgerag.common.Blocking.call(() -> versions.versionHere(id).orElseThrow());
                    }).flatMap(version -> writes.await(level, id, version).map(outcome -> {
                        String token = new ConsistencyToken(id, version).encode();
                        if (outcome.met()) {
                            return Response.noContent().header(TOKEN_HEADER, token).build();
                        }
                        return unmet(Response.status(writes.unmetStatus()), id, outcome, token,
                                new Deleted(id, VersionView.of(version), token, outcome));
                    }));
                });
    }

    private Uni<Response> created(StoredDocument stored, WriteLevel level, boolean priority) {
        String token = new ConsistencyToken(stored.docId(), stored.version()).encode();
        Uni<PriorityLane.Report> sent = priority ? lane.publish(stored.docId(), stored.version())
                : Uni.createFrom().nullItem();
        return sent.flatMap(report -> writes.await(level, stored.docId(), stored.version()).map(outcome -> {
            Created body = new Created(stored.docId(), stored.chunks(), VersionView.of(stored.version()), token, outcome, report);
            Response.ResponseBuilder r = outcome.met() ? Response.created(URI.create("/api/documents/" + stored.docId()))
                    : Response.status(writes.unmetStatus()).location(URI.create("/api/documents/" + stored.docId()));
            return outcome.met() ? r.header(TOKEN_HEADER, token).entity(body).build() : unmet(r, stored.docId(), outcome, token, body);
        }));
    }

    /** 202 with the write's body, or 504 as a problem naming what is pending; the token travels either way. */
    private Response unmet(Response.ResponseBuilder r, String docId, WriteOutcome outcome, String token, Object body) {
        if (writes.unmetStatus() == 504) {
            Problem p = Problem.of(504, "Gateway Timeout", "Document '" + docId + "' is durable on this edge, but consistency "
                    + outcome.level().wire() + " was not met: pending " + outcome.pending() + " (" + outcome.reason() + ")",
                    "/api/documents/" + docId);
            return Response.fromResponse(p.toResponse()).header(TOKEN_HEADER, token).build();
        }
        return r.header(TOKEN_HEADER, token).entity(body).build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
