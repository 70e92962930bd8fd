package io.edgerag.security;

import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentChange;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides what of a document change may leave the edge: PII patterns are redacted from titles,
 * sources and metadata; residency-restricted collections keep their text, title, source and metadata
 * at home (peers get vectors and hashes); document ids can be replaced by a keyed hash.
 *
 * <p>Chunk text of unrestricted collections travels as written: it is the knowledge being shared, and
 * redacting inside passages would change what peers retrieve. Restrict the collection instead.
 */
@Singleton
public class EgressPolicy {

    /** Built-in rules; conservative shapes, so false positives redact harmless numbers rather than leak. */
    static final Map<String, String> BUILT_IN = Map.of(
            "email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
            "phone", "(?<![\\w])\\+?\\d{1,3}?[ .-]?\\(?\\d{2,4}\\)?[ .-]?\\d{3,4}[ .-]?\\d{3,4}(?![\\w])",
            "ssn", "(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)",
            "iban", "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\\b");

    /** Chunk metadata key under which {@link #outbound} hands the text's SHA-256 to the event codec. */
    public static final String TEXT_HASH = "textHash";

    private final Map<String, Pattern> rules = new LinkedHashMap<>();
    private final Set<String> restricted;
    private final byte[] idKey;

    public EgressPolicy(EgressConfig config) {
        if (config.builtInRules()) {
            BUILT_IN.forEach((name, regex) -> rules.put(name, Pattern.compile(regex)));
        }
        config.scrub().forEach((name, regex) -> {
            if (regex == null || regex.isBlank()) {
                rules.remove(name);
            } else {
                rules.put(name, Pattern.compile(regex));
            }
        });
        this.restricted = config.restrictedCollections().orElse(Set.of());
        if (config.hashDocumentIds()) {
            String key = config.idHashKey().orElseThrow(() -> new IllegalStateException(
                    "edgerag.egress.hash-document-ids=true needs edgerag.egress.id-hash-key (a per-fleet secret)"));
            this.idKey = key.getBytes(StandardCharsets.UTF_8);
        } else {
            this.idKey = null;
        }
    }

    public boolean isRestricted(String collection) {
        return collection != null && restricted.contains(collection);
    }

    /** The change as it may leave the edge. */
    public DocumentChange outbound(DocumentChange c) {
        String docId = outboundId(c.docId());
        boolean keepHome = isRestricted(c.collection());
        List<ChunkRecord> chunks = new ArrayList<>(c.chunks().size());
        for (int i = 0; i < c.chunks().size(); i++) {
            ChunkRecord chunk = c.chunks().get(i);
            String chunkId = idKey == null ? chunk.chunkId() : docId + "#" + i;
            // the hash of the text travels even when the text stays home: peers can check, never read
            Map<String, Object> hash = chunk.text() == null ? null : Map.of(TEXT_HASH, sha256(chunk.text()));
            chunks.add(new ChunkRecord(chunkId, keepHome ? null : chunk.text(), hash, chunk.vector()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!keepHome && c.metadata() != null) {
            c.metadata().forEach((k, v) -> metadata.put(k, scrub(v)));
        }
        return new DocumentChange(c.type(), docId, c.version(), keepHome ? null : scrub(c.title()),
                keepHome ? null : scrub(c.source()), c.collection(), metadata, c.contentHash(), c.embeddingModel(),
                c.schemaVersion(), chunks);
    }

    /** Text with every rule's matches replaced by {@code [rule]}. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Map.Entry<String, Pattern> rule : rules.entrySet()) {
            out = rule.getValue().matcher(out).replaceAll("[" + rule.getKey() + "]");
        }
        return out;
    }

    public static String sha256(String text) {
        return io.edgerag.common.Sha256.hex(text);
    }

    /** The id a document has outside this edge. */
    public String outboundId(String docId) {
        if (idKey == null) {
            return docId;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(idKey, "HmacSHA256"));
            return "h-" + HexFormat.of().formatHex(mac.doFinal(docId.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
