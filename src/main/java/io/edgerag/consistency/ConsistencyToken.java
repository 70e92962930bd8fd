package io.edgerag.consistency;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.store.local.Version;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A read-your-writes token: the document a write changed and the version it made. A node has "applied"
 * the token when its version of the document is the same or greater (a later write of the same document
 * supersedes it, by the conflict rule every node applies). Opaque to clients: {@code v1.<hlc>.<node>.<doc>}
 * with node and document id in unpadded base64url.
 */
public record ConsistencyToken(String docId, Version version) {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public String encode() {
        return "v1." + version.hlc() + "." + b64(version.nodeId()) + "." + b64(docId);
    }

    /** Null or blank → null; anything malformed → 400. */
    public static ConsistencyToken parse(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String[] parts = token.trim().split("\\.", -1);
        try {
            if (parts.length != 4 || !"v1".equals(parts[0])) {
                throw new IllegalArgumentException("shape");
            }
            String docId = new String(B64D.decode(parts[3]), StandardCharsets.UTF_8);
            if (docId.isEmpty()) {
                throw new IllegalArgumentException("empty document id");
            }
            return new ConsistencyToken(docId,
                    new Version(Long.parseLong(parts[1]), new String(B64D.decode(parts[2]), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("consistencyToken is not a token this API issued: '" + token + "'");
        }
    }

    private static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
