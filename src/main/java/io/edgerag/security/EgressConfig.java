package io.edgerag.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code edgerag.egress.*}: what may leave this edge (to Kafka, and from there to other edges and the
 * cloud store). Applied to every change event before it is published.
 */
@ConfigMapping(prefix = "edgerag.egress")
public interface EgressConfig {

    /**
     * Redaction rules for titles, sources and metadata values: name → Java regex. Each match is
     * replaced by {@code [name]}. The defaults catch e-mail addresses, phone numbers and national-id
     * shapes (US SSN, IBAN-like account numbers); add your own, or set one to an empty string to drop it.
     */
    @WithDefault("")
    Map<String, String> scrub();

    /** Use the built-in rules (email, phone, ssn, iban) in addition to {@link #scrub()}. */
    @WithDefault("true")
    boolean builtInRules();

    /**
     * Collections whose content must not leave the edge (data residency): their changes carry only
     * vectors and hashes — no chunk text, title, source or metadata.
     */
    Optional<Set<String>> restrictedCollections();

    /**
     * Replace document ids by a keyed hash in everything that leaves the edge. Peers and the cloud then
     * know a document only by its hash (updates and deletes still converge: the hash is stable).
     */
    @WithDefault("false")
    boolean hashDocumentIds();

    /** Key of the document-id hash (HMAC-SHA256); set it per fleet, from a Secret. */
    Optional<String> idHashKey();
}
