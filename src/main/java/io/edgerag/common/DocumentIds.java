package io.edgerag.common;

import java.util.regex.Pattern;

/**
 * What a document id may be, wherever one enters: the API (ingest, get, delete, changes), an upload's
 * file name, a change event from a peer. An id names a row, a Lucene term, a Kafka key and a Pinecone
 * id prefix, and ends up in logs and URLs; so: 1-{@value #MAX_LENGTH} characters of letters, digits
 * and {@code ._:@-}, no {@code ..} (a path that climbs), no slashes, no control characters, not
 * starting with a dot ({@code .} is the directory itself). The limit is
 * fixed, not configured: every node of a fleet must accept the ids the others write.
 */
public final class DocumentIds {

    public static final int MAX_LENGTH = 200;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:@-]+");

    private DocumentIds() {
    }

    /** Why {@code id} is not a valid document id, or null when it is. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "Document id is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "Document id is " + id.length() + " characters long, the limit is " + MAX_LENGTH;
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return "Document id must not contain control characters";
        }
        if (id.indexOf('/') >= 0 || id.indexOf('\\') >= 0 || id.contains("..")) {
            return "Document id must not contain '/', '\\' or '..'";
        }
        if (id.charAt(0) == '.') {
            // "." is the directory itself as a path segment, and a URL /api/documents/. loses it (found by fuzzing)
            return "Document id must not start with '.'";
        }
        if (!ALLOWED.matcher(id).matches()) {
            return "Document id must be letters, digits and ._:@- only";
        }
        return null;
    }

    /** Throws {@link InvalidRequestException} (a 400) naming what is wrong with {@code id}. */
    public static String require(String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new InvalidRequestException(problem);
        }
        return id;
    }
}
