package io.edgerag.ingest;

import java.util.Map;

/** A document to ingest: {@code docId} may be null (then it is derived from source or content). */
public record IngestCommand(String docId, String title, String text, String source, String collection,
                            Map<String, String> metadata) {
}
