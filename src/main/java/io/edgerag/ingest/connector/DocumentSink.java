package io.edgerag.ingest.connector;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.common.Sha256;
import io.edgerag.ingest.DocumentParsing;
import io.edgerag.ingest.IngestService;
import io.edgerag.ingest.SourcePaths;
import io.edgerag.security.Caller;
import io.edgerag.store.local.StoredDocument;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a connector's changes go: the local store, through {@link IngestService} like any other write
 * (so they reach the change log and sync as ordinary writes). Document ids come from the path relative
 * to the source's root ({@link SourcePaths#docId}), the source field is that path.
 *
 * <p>A file is embedded only when its text differs from what the store holds under its id: the store
 * keeps a hash of each document's text, so a rescan, a redone commit range or a lost state file costs
 * parsing, never embedding.
 */
public class DocumentSink {

    private static final Logger LOG = Logger.getLogger(DocumentSink.class);

    public enum Outcome { UPSERTED, UNCHANGED }

    private final IngestService ingest;
    private final Caller caller;
    private final String collection;

    public DocumentSink(IngestService ingest, String connector, String collection) {
        this.ingest = ingest;
        this.caller = Caller.system("connector:" + connector);
        this.collection = collection;
    }

    /** Blocking (parse, embed, store): call from the connector's own thread. */
    public Outcome upsert(String relativePath, byte[] bytes) {
        String docId = SourcePaths.docId(relativePath);
        String text = textOf(relativePath, bytes);
        try {
            Optional<StoredDocument> stored = ingest.get(docId).await().indefinitely();
            if (stored.isPresent() && holds(stored.get(), relativePath, text)) {
                return Outcome.UNCHANGED;
            }
            ingest.ingestFile(relativePath, null, bytes, docId, Path.of(relativePath).getFileName().toString(),
                    collection, caller).await().indefinitely();
        } catch (InvalidRequestException e) {
            // the id or the document breaks a rule of the store: no retry of these bytes can pass it
            throw new DocumentRejectedException(e.getMessage(), e);
        }
        LOG.debugf("%s upserted %s from %s", caller.name(), docId, relativePath);
        return Outcome.UPSERTED;
    }

    /** @return whether the store held the document */
    public boolean delete(String relativePath) {
        String docId = SourcePaths.docId(relativePath);
        boolean deleted;
        try {
            deleted = ingest.delete(docId, caller).await().indefinitely();
        } catch (InvalidRequestException e) {
            return false; // an id the store refuses was never stored
        }
        LOG.debugf("%s deleted %s (%s): %s", caller.name(), docId, relativePath, deleted ? "done" : "was not stored");
        return deleted;
    }

    private boolean holds(StoredDocument stored, String relativePath, String text) {
        return Sha256.hex(text).equals(stored.contentHash()) && relativePath.equals(stored.source())
                && Caller.collectionOrDefault(collection).equals(Caller.collectionOrDefault(stored.collection()));
    }

    private static String textOf(String relativePath, byte[] bytes) {
        String text;
        try {
            text = DocumentParsing.toText(bytes, DocumentParsing.detect(relativePath, null));
        } catch (RuntimeException e) {
            throw new DocumentRejectedException("cannot read it as a document: " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new DocumentRejectedException("it holds no text to index", null);
        }
        return text;
    }
}
