package io.edgerag.store.local;

import io.edgerag.store.local.StoreRecords.PositionInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * What a chunk must satisfy to be a candidate of a local search, in the vector and the keyword index
 * alike (both apply it inside the index search, before the top-k cut, so a selective filter still
 * returns k hits when k exist).
 *
 * @param collection     the document's collection, null = any
 * @param source         the document's source (file path, URL) exactly, null = any
 * @param metadataEquals every entry must equal the chunk's metadata value (string form)
 * @param dateRange      a metadata value read as a date must fall inside, null = no date condition
 * @param collectionsIn  the caller's collection scope: the chunk's collection must be one of these, a
 *                       document stored without a collection counting as {@value #DEFAULT_COLLECTION};
 *                       null = any (the scope is the server's, never the client's: see {@code Caller})
 */
public record SearchFilter(String collection, String source, Map<String, String> metadataEquals, DateRange dateRange,
                           Set<String> collectionsIn) {

    /** The collection name a scope uses for documents stored without one. */
    public static final String DEFAULT_COLLECTION = "default";

    public static final SearchFilter NONE = new SearchFilter(null, null, Map.of(), null);

    public SearchFilter {
        collection = blankToNull(collection);
        source = blankToNull(source);
        metadataEquals = metadataEquals == null ? Map.of() : Map.copyOf(metadataEquals);
        collectionsIn = collectionsIn == null ? null : Set.copyOf(collectionsIn);
    }

    public SearchFilter(String collection, String source, Map<String, String> metadataEquals, DateRange dateRange) {
        this(collection, source, metadataEquals, dateRange, null);
    }

    public static SearchFilter of(String collection, Map<String, String> metadataEquals) {
        return new SearchFilter(collection, null, metadataEquals, null);
    }

    /**
     * {@code key}'s value, read as an ISO-8601 date ({@code 2024-05-01}, midnight UTC) or instant
     * ({@code 2024-05-01T10:00:00Z}, offsets allowed), must lie in {@code [from, to]}; an open end is null.
     * A chunk whose value is missing or not a date does not match.
     */
    public record DateRange(String key, Instant from, Instant to) {
        public DateRange {
            if (key == null || key.isBlank()) {
                throw new InvalidStoreRequestException("a date range needs the metadata key it applies to");
            }
            if (from == null && to == null) {
                throw new InvalidStoreRequestException("a date range on '" + key + "' needs from, to or both");
            }
            if (from != null && to != null && from.isAfter(to)) {
                throw new InvalidStoreRequestException("date range on '" + key + "': from " + from + " is after to " + to);
            }
        }

        public long fromMillis() {
            return from == null ? Long.MIN_VALUE : from.toEpochMilli();
        }

        public long toMillis() {
            return to == null ? Long.MAX_VALUE : to.toEpochMilli();
        }

        boolean contains(Object value) {
            OptionalLong millis = value == null ? OptionalLong.empty() : epochMillis(value.toString());
            return millis.isPresent() && millis.getAsLong() >= fromMillis() && millis.getAsLong() <= toMillis();
        }
    }

    public boolean isEmpty() {
        return collection == null && source == null && metadataEquals.isEmpty() && dateRange == null
                && collectionsIn == null;
    }

    /** Whether a document of {@code docCollection} lies inside {@link #collectionsIn}. */
    public boolean inScope(String docCollection) {
        return collectionsIn == null
                || collectionsIn.contains(docCollection == null ? DEFAULT_COLLECTION : docCollection);
    }

    /** The same conditions over the store's in-memory position table (the vector side's allow-list). */
    public Predicate<PositionInfo> asPredicate() {
        return info -> (collection == null || collection.equals(info.doc().collection()))
                && inScope(info.doc().collection())
                && (source == null || source.equals(info.doc().source()))
                && metadataMatches(info.metadata())
                && (dateRange == null || dateRange.contains(info.metadata().get(dateRange.key())));
    }

    private boolean metadataMatches(Map<String, Object> metadata) {
        for (Map.Entry<String, String> e : metadataEquals.entrySet()) {
            Object v = metadata.get(e.getKey());
            if (v == null || !v.toString().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * A metadata value as epoch milliseconds when it is an ISO-8601 date or instant; the keyword index
     * stores exactly these as numeric points, so both sides agree on what counts as a date.
     */
    public static OptionalLong epochMillis(String value) {
        if (value == null || value.length() < 10 || value.length() > 40 || !Character.isDigit(value.charAt(0))) {
            return OptionalLong.empty();
        }
        try {
            if (value.length() == 10) {
                return OptionalLong.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            }
            return OptionalLong.of(OffsetDateTime.parse(value).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            try {
                return OptionalLong.of(Instant.parse(value).toEpochMilli());
            } catch (DateTimeParseException notAnInstant) {
                return OptionalLong.empty();
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
