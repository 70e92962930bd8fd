package io.edgerag.ingest;

import io.edgerag.audit.AuditActions;
import io.edgerag.audit.AuditEvent;
import io.edgerag.audit.AuditTrail;
import io.edgerag.common.Blocking;
import io.edgerag.security.Caller;
import io.edgerag.security.CollectionForbiddenException;
import io.edgerag.common.DocumentIds;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.common.VisibleText;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.edgerag.embedding.EmbeddingModels;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.EmbeddingModelChangedException;
import io.edgerag.store.local.StoreRecords;
import io.edgerag.security.InputLimits;
import io.edgerag.store.local.DocumentWrite;
import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.StoredDocument;
import io.edgerag.store.local.Version;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * parse → chunk → embed (batched, off the event loop) → one atomic upsert into the local store → the
 * audit line (durable before the caller is answered; see {@link AuditTrail}).
 */
@ApplicationScoped
public class IngestService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(IngestService.class);

    private final LocalStore store;
    private final EmbeddingModels models;
    private final DurableVectorStore migrations;
    private final Chunker chunker;
    private final Counter chunksIngested;
    private final AuditTrail audit;
    private final InputLimits limits;

    public IngestService(LocalStore store, EmbeddingModels models, DurableVectorStore migrations, EdgeragConfig config,
                         MeterRegistry registry, AuditTrail audit, InputLimits limits) {
        this.store = store;
        this.models = models;
        this.migrations = migrations;
        this.audit = audit;
        this.limits = limits;
        this.chunker = new Chunker(config.ingest().chunkSize(), config.ingest().chunkOverlap());
        this.chunksIngested = registry.counter("edgerag.ingest.chunks");
    }

    public Uni<StoredDocument> ingest(IngestCommand command) {
        return ingest(command, Caller.system("ingest"));
    }

    /** Ingests on behalf of {@code caller}: the document's collection (and that of any document it replaces) must be in its scope. */
    public Uni<StoredDocument> ingest(IngestCommand command, Caller caller) {
        validate(command);
        return Blocking.call(() -> write(command, caller)).call(stored -> audit.record(upserted(caller, stored)));
    }

    /** Parses an uploaded file and ingests it; the id defaults to one derived from the file name. */
    public Uni<StoredDocument> ingestFile(String fileName, String contentType, byte[] bytes, String docId,
                                          String title, String collection, Caller caller) {
        DocumentParsing.Format format = DocumentParsing.detect(fileName, contentType);
        return Blocking.call(() -> {
            String text = DocumentParsing.toText(bytes, format);
            IngestCommand command = new IngestCommand(
                    blankToNull(docId) != null ? docId : fileId(fileName),
                    blankToNull(title) != null ? title : fileName,
                    text, fileName, collection, Map.of("format", format.name().toLowerCase()));
            validate(command);
            return write(command, caller);
        }).call(stored -> audit.record(upserted(caller, stored)));
    }

    /** The document, if it exists and lies in the caller's scope (else empty, as if it did not exist). */
    public Uni<Optional<StoredDocument>> get(String docId, Caller caller) {
        return get(docId).map(found -> found.filter(d -> caller.mayAccess(d.collection())));
    }

    public Uni<Optional<StoredDocument>> get(String docId) {
        DocumentIds.require(docId);
        return Blocking.call(() -> store.get(docId));
    }

    public Uni<java.util.List<io.edgerag.store.local.StoreRecords.AppliedChange>> history(String docId) {
        DocumentIds.require(docId);
        return Blocking.call(() -> store.history(docId));
    }

    /** Deletes (a tombstone, audited with its version); false when there was no such live document. */
    public Uni<Boolean> delete(String docId, Caller caller) {
        DocumentIds.require(docId);
        return Blocking.call(() -> store.delete(docId) ? tombstoneVersion(docId) : null)
                .call(version -> version == null ? Uni.createFrom().voidItem()
                        : audit.record(AuditTrail.documentEvent(caller, AuditActions.DELETE, docId, version, null)))
                .map(version -> version != null);
    }

    private Version tombstoneVersion(String docId) {
        List<io.edgerag.store.local.StoreRecords.AppliedChange> changes = store.history(docId);
        return changes.get(changes.size() - 1).version();
    }

    /** Blocking, audited: callers are on a worker thread (the CLI, the sample corpus). */
    public StoredDocument ingestBlocking(IngestCommand command) {
        return ingestBlocking(command, Caller.system("ingest"));
    }

    /** Blocking, audited as {@code caller}'s write. */
    public StoredDocument ingestBlocking(IngestCommand command, Caller caller) {
        StoredDocument stored = write(command, caller);
        audit.recordAndWait(List.of(upserted(caller, stored)));
        return stored;
    }

    private static AuditEvent upserted(Caller caller, StoredDocument stored) {
        return AuditTrail.documentEvent(caller, AuditActions.UPSERT, stored.docId(), stored.version(), stored.collection());
    }

    private StoredDocument write(IngestCommand command, Caller caller) {
        validate(command);
        String docId = command.docId() != null ? command.docId() : derivedId(command);
        checkWritable(docId, command.collection(), caller);
        try {
            return write(command, docId);
        } catch (EmbeddingModelChangedException e) {
            return write(command, docId); // a cut-over or rollback came between embedding and writing: once more
        }
    }

    /**
     * Embeds with the model the store serves and, while an embedding migration runs, with its other model
     * too, so the write lands in both indexes.
     */
    private StoredDocument write(IngestCommand command, String docId) {
        String modelId = models.servingId();
        String shadowId = migrations.shadowEmbeddingModel();
        Embedder embedder = models.forModel(modelId);
        List<String> texts = chunker.splitToFit(command.text(), command.title(), embedder.maxInputTokens()).stream()
                .filter(VisibleText::hasAny).toList();
        if (texts.isEmpty()) {
            throw new InvalidRequestException("Document '" + docId + "' has no text to index");
        }
        List<String> embedded = texts.stream().map(t -> withTitle(command.title(), t)).toList();
        List<float[]> vectors = embedder.embedPassages(embedded);
        StoreRecords.ShadowVectors shadow = shadowId == null ? null : shadowVectors(shadowId, embedded);
        List<DocumentWrite.ChunkWrite> chunks = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            chunks.add(new DocumentWrite.ChunkWrite(docId + "#" + i, texts.get(i), vectors.get(i)));
        }
        StoredDocument stored = store.upsert(new DocumentWrite(docId, command.title(), command.source(),
                blankToNull(command.collection()),
                command.metadata() == null ? Map.of() : Map.copyOf(command.metadata()),
                sha256(command.text()), modelId, Embedder.SCHEMA_VERSION, chunks, shadow));
        chunksIngested.increment(chunks.size());
        return stored;
    }

    /**
     * The chunks embedded with the migration's other model too. When that model fails (an Ollama target
     * away), the write still goes through with the served model alone: the migration's build makes the
     * missing vectors later.
     */
    private StoreRecords.ShadowVectors shadowVectors(String shadowId, List<String> embedded) {
        try {
            return new StoreRecords.ShadowVectors(shadowId, models.forModel(shadowId).embedPassages(embedded));
        } catch (RuntimeException e) {
            LOG.warnf("embedding with %s (the migration's other model) failed, left to the build: %s", shadowId, e.toString());
            return null;
        }
    }

    /**
     * What gets embedded for a chunk: the document title, then the chunk. A chunk cut from the middle
     * of a document often never names its subject; the title puts it back (as BEIR/MTEB embed
     * "title text"). The stored passage stays the chunk alone.
     */
    public static String withTitle(String title, String chunk) {
        return title == null || title.isBlank() ? chunk : title.strip() + "\n" + chunk;
    }

    public Chunker chunker() {
        return chunker;
    }

    /**
     * A scoped writer may write only into its collections, and may not take over an id that a document
     * of another collection holds (an upsert would move it out of that collection's reach). Checked
     * before embedding; a concurrent write by another tenant between this check and the upsert is not
     * excluded (ids are per deployment, tenants are expected to use their own id prefixes).
     */
    private void checkWritable(String docId, String collection, Caller caller) {
        if (caller.seesAllCollections()) {
            return;
        }
        if (!caller.mayAccess(collection)) {
            throw new CollectionForbiddenException(caller, collection);
        }
        store.get(docId).filter(existing -> !caller.mayAccess(existing.collection())).ifPresent(existing -> {
            throw new CollectionForbiddenException("Document id '" + docId
                    + "' is held by a collection the key '" + caller.name() + "' may not write; choose another id");
        });
    }

    void validate(IngestCommand command) {
        if (command == null) {
            throw new InvalidRequestException("Request body is empty: send {\"text\": \"...\"}");
        }
        if (!VisibleText.hasAny(command.text())) {
            throw new InvalidRequestException("Document text is empty (no letter, digit or symbol)");
        }
        if (command.docId() != null) {
            DocumentIds.require(command.docId());
        }
        limits.checkDocument(command.title(), command.source(), command.metadata());
    }

    static String derivedId(IngestCommand command) {
        String basis = command.source() != null && !command.source().isBlank() ? command.source() : command.text();
        return "doc-" + sha256(basis).substring(0, 16);
    }

    /** The id an upload gets when it names none: its file name made safe. */
    public static String fileId(String fileName) {
        String base = fileName == null ? "" : fileName.replaceAll(".*[/\\\\]", "");
        // ".." would be refused as an id: an upload named "../../x" or "a..b" gets "x" / "a.b"
        String slug = base.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("\\.{2,}", ".")
                .replaceAll("^[-.]+|-+$", "");
        return slug.isEmpty() ? "file-" + sha256(String.valueOf(fileName)).substring(0, 16)
                : slug.substring(0, Math.min(200, slug.length()));
    }

    static String sha256(String text) {
        return io.edgerag.common.Sha256.hex(text);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
