package io.edgerag.api;

import io.edgerag.admission.Lanes;
import io.edgerag.ingest.IngestCommand;
import io.edgerag.ingest.IngestService;
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

    /** Body of {@code POST /api/documents} as JSON. */
    public record DocumentBody(String id, String title, String text, String source, String collection,
                               Map<String, String> metadata) {
    }

    /**
     * A document version as clients see it: the HLC as a decimal string (it exceeds the 2^53 integers a
     * JavaScript number holds exactly) and the node that wrote it. The greater (hlc, nodeId) wins.
     */
    public record VersionView(String hlc, String nodeId) {
        static VersionView of(io.edgerag.store.local.Version v) {
            return new VersionView(Long.toString(v.hlc()), v.nodeId());
        }
    }

    public record Created(String id, int chunks, VersionView version) {
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

    public DocumentResource(IngestService ingest, Lanes lanes) {
        this.ingest = ingest;
        this.lanes = lanes;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(DocumentBody body) {
        IngestCommand command = body == null ? null
                : new IngestCommand(body.id(), body.title(), body.text(), body.source(), body.collection(), body.metadata());
        // validated now (400 before any wait); embedded and written later, in the ingest lane
        Uni<StoredDocument> write = ingest.ingest(command);
        return lanes.ingest().run(() -> write).map(DocumentResource::created);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> upload(@RestForm("file") FileUpload file, @RestForm String id, @RestForm String title,
                                @RestForm String collection) {
        if (file == null) {
            throw new io.edgerag.common.InvalidRequestException("Multipart upload needs a 'file' part");
        }
        return lanes.ingest().run(() -> io.edgerag.common.Blocking.call(() -> read(file))
                        .flatMap(bytes -> ingest.ingestFile(file.fileName(), file.contentType(), bytes, id, title, collection)))
                .map(DocumentResource::created);
    }

    @GET
    @Path("/{id}")
    public Uni<DocumentView> get(@PathParam("id") String id) {
        return ingest.get(id).map(found -> found.map(DocumentView::of)
                .orElseThrow(() -> new NotFoundException("No document with id '" + id + "'")));
    }

    /** One applied change of a document on this node. */
    public record ChangeView(long seq, String type, VersionView version, Instant appliedAt) {
    }

    /** The changes applied to a document on this node, oldest first (also after it was deleted). */
    @GET
    @Path("/{id}/changes")
    public Uni<java.util.List<ChangeView>> changes(@PathParam("id") String id) {
        return ingest.history(id).map(list -> {
            if (list.isEmpty()) {
                throw new NotFoundException("No changes of a document with id '" + id + "'");
            }
            return list.stream().map(c -> new ChangeView(c.seq(), c.type().name(), VersionView.of(c.version()), c.at())).toList();
        });
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return ingest.delete(id).map(deleted -> {
            if (!deleted) {
                throw new NotFoundException("No document with id '" + id + "'");
            }
            return Response.noContent().build();
        });
    }

    private static Response created(StoredDocument stored) {
        return Response.created(URI.create("/api/documents/" + stored.docId()))
                .entity(new Created(stored.docId(), stored.chunks(), VersionView.of(stored.version()))).build();
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
