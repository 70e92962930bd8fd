package io.edgerag.security;

import io.edgerag.common.Sha256;
import io.edgerag.embedding.Embedder;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.Sse;
import io.edgerag.support.pinecone.PineconeStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and tokens scoped to collections: a caller of collection {@code alpha} never sees a passage of
 * {@code beta} — in search, chat sources, the OpenAI endpoint, document reads, or the cloud fallback
 * (the Pinecone stand-in holds a record of each collection, and every search here asks the cloud) —
 * and cannot write, delete or take over what lies outside its scope. Every collection holds a passage on
 * the same subject (kiwis), so a leak would rank, not hide.
 */
@QuarkusTest
@TestProfile(TenantIsolationTest.ScopedCallers.class)
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(PineconeStandInResource.class)
public class TenantIsolationTest {

    static final String ALPHA_READER = "alpha-reader-key-0001";
    static final String ALPHA_WRITER = "alpha-writer-key-0002";
    static final String BETA_WRITER = "beta-writer-key-0003";
    static final String OPS = "ops-admin-key-0004";
    static final String ISSUER = "https://idp.edgerag.test";
    static final KeyPair SIGNING = rsa();
    static final KeyPair STRANGER = rsa();

    static final Set<String> ALPHA_DOCS = Set.of("alpha-kiwi", "alpha-cloud");
    static final String QUESTION = "Where do kiwi birds live and what eggs do they lay?";

    public static class ScopedCallers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("edgerag.access.api-keys.alpha-reader.sha256", Sha256.hex(ALPHA_READER)),
                    Map.entry("edgerag.access.api-keys.alpha-reader.roles", "reader"),
                    Map.entry("edgerag.access.api-keys.alpha-reader.collections", "alpha"),
                    Map.entry("edgerag.access.api-keys.alpha-writer.sha256", Sha256.hex(ALPHA_WRITER)),
                    Map.entry("edgerag.access.api-keys.alpha-writer.roles", "reader,writer"),
                    Map.entry("edgerag.access.api-keys.alpha-writer.collections", "alpha"),
                    Map.entry("edgerag.access.api-keys.beta-writer.sha256", Sha256.hex(BETA_WRITER)),
                    Map.entry("edgerag.access.api-keys.beta-writer.roles", "reader,writer"),
                    Map.entry("edgerag.access.api-keys.beta-writer.collections", "beta"),
                    Map.entry("edgerag.access.api-keys.ops.sha256", Sha256.hex(OPS)),
                    Map.entry("edgerag.access.api-keys.ops.roles", "admin"),
                    Map.entry("edgerag.access.jwt.enabled", "true"),
                    Map.entry("mp.jwt.verify.publickey", pem(SIGNING)),
                    Map.entry("mp.jwt.verify.issuer", ISSUER));
        }
    }

    @Inject
    Embedder embedder;
    @Inject
    CloudVectorStore cloud;

    @BeforeEach
    void everyCollectionKnowsAboutKiwis() throws Exception {
        PineconeStandInResource.standIn().upAndClean();
        ingest(OPS, "alpha-kiwi", "alpha", "Kiwi birds live in New Zealand forests and lay very large eggs.");
        ingest(OPS, "beta-kiwi", "beta", "Kiwi birds of New Zealand lay eggs a fifth of their body weight.");
        ingest(OPS, "plain-kiwi", null, "The kiwi is a flightless bird of New Zealand with huge eggs.");
        cloudRecord("alpha", "alpha-cloud", "Kiwi birds in New Zealand nest in burrows and lay large eggs.");
        cloudRecord("beta", "beta-cloud", "Kiwi birds in New Zealand lay one or two enormous eggs a season.");
    }

    @Test
    void should_search_only_the_callers_collections_locally_and_in_the_cloud() {
        assertThat(searchedDocs(ALPHA_READER, Map.of())).containsExactlyInAnyOrderElementsOf(ALPHA_DOCS);
        assertThat(searchedDocs(BETA_WRITER, Map.of())).containsExactlyInAnyOrder("beta-kiwi", "beta-cloud");
        assertThat(searchedDocs(OPS, Map.of()))
                .as("an unscoped caller sees local passages of every collection")
                .contains("alpha-kiwi", "beta-kiwi", "plain-kiwi");
    }

    @Test
    void should_refuse_a_search_or_chat_naming_a_collection_outside_the_scope() {
        as(ALPHA_READER).body(Map.of("query", QUESTION, "collection", "beta")).post("/api/search")
                .then().statusCode(403).contentType("application/problem+json");
        as(ALPHA_READER).accept("text/event-stream").body(Map.of("question", QUESTION, "collection", "beta"))
                .post("/api/chat").then().statusCode(403);
        as(ALPHA_READER).body(Map.of("messages", List.of(Map.of("role", "user", "content", QUESTION)),
                "edgerag_collection", "beta")).post("/v1/chat/completions").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void should_cite_only_the_callers_collections_in_chat_and_in_the_openai_endpoint() {
        String body = as(ALPHA_READER).accept("text/event-stream")
                .body(Map.of("question", QUESTION, "k", 10, "consistency", "fresh"))
                .post("/api/chat").then().statusCode(200).extract().asString();
        String sources = Sse.parse(body).stream().filter(e -> e.name().equals("sources")).findFirst().orElseThrow().data();
        assertThat(sources).contains("alpha-kiwi").doesNotContain("beta-").doesNotContain("plain-kiwi");

        Response completion = as(ALPHA_READER)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", QUESTION)), "edgerag_k", 10))
                .post("/v1/chat/completions");
        assertThat(completion.statusCode()).isEqualTo(200);
        List<String> cited = completion.path("edgerag_sources.docId");
        assertThat(cited).isNotEmpty().allMatch(ALPHA_DOCS::contains);
    }

    @Test
    void should_hide_read_and_refuse_delete_of_documents_outside_the_scope() {
        as(ALPHA_READER).get("/api/documents/beta-kiwi").then().statusCode(404);
        as(ALPHA_READER).get("/api/documents/beta-kiwi/changes").then().statusCode(404);
        as(BETA_WRITER).get("/api/documents/beta-kiwi").then().statusCode(200);

        as(ALPHA_WRITER).delete("/api/documents/beta-kiwi").then().statusCode(404);

        as(OPS).get("/api/documents/beta-kiwi").then().statusCode(200);
    }

    @Test
    void should_refuse_writes_into_another_collection_and_taking_over_its_ids() {
        as(ALPHA_WRITER).body(Map.of("id", "sneaky", "collection", "beta", "text", "Kiwis are mammals."))
                .post("/api/documents").then().statusCode(403).contentType("application/problem+json");
        as(ALPHA_WRITER).body(Map.of("id", "beta-kiwi", "collection", "alpha", "text", "Kiwis are mammals."))
                .post("/api/documents").then().statusCode(403);
        as(ALPHA_WRITER).body(Map.of("id", "alpha-new", "text", "Kiwis sleep in burrows by day."))
                .post("/api/documents").then().statusCode(403); // no collection = default, outside alpha

        Response beta = as(OPS).get("/api/documents/beta-kiwi");
        assertThat(beta.<String>path("collection")).isEqualTo("beta");
        assertThat(as(OPS).get("/api/documents/sneaky").statusCode()).isEqualTo(404);
        as(ALPHA_WRITER).body(Map.of("id", "alpha-new", "collection", "alpha", "text", "Kiwis sleep by day."))
                .post("/api/documents").then().statusCode(201);
    }

    @Test
    void should_scope_jwt_callers_by_their_collections_claim() {
        String betaToken = token(SIGNING, Set.of("reader"), List.of("beta"), 300);
        assertThat(searchedDocsWithHeader("Bearer " + betaToken))
                .containsExactlyInAnyOrder("beta-kiwi", "beta-cloud");

        // scope as a space-separated string, the way OAuth scopes travel; "default" = no collection
        String alphaAndDefault = Jwt.claims().issuer(ISSUER).subject("carol").groups(Set.of("reader"))
                .claim("collections", "alpha default").expiresIn(300).sign(SIGNING.getPrivate());
        assertThat(searchedDocsWithHeader("Bearer " + alphaAndDefault))
                .containsExactlyInAnyOrder("alpha-kiwi", "alpha-cloud", "plain-kiwi");
    }

    @Test
    void should_refuse_forged_expired_and_roleless_tokens() {
        String forged = token(STRANGER, Set.of("admin"), List.of("beta"), 300);
        String expired = Jwt.claims().issuer(ISSUER).subject("dave").groups(Set.of("reader"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .sign(SIGNING.getPrivate());
        String readerOnly = token(SIGNING, Set.of("reader"), List.of("alpha"), 300);

        for (String refused : List.of(forged, expired)) {
            given().header("Authorization", "Bearer " + refused).contentType(ContentType.JSON)
                    .body(Map.of("query", QUESTION)).post("/api/search")
                    .then().statusCode(401).contentType("application/problem+json");
        }
        given().header("Authorization", "Bearer " + readerOnly).contentType(ContentType.JSON)
                .body(Map.of("id", "x", "collection", "alpha", "text", "t")).post("/api/documents")
                .then().statusCode(403);
    }

    // --- helpers ---

    private List<String> searchedDocs(String key, Map<String, Object> extra) {
        return searchedDocsWithHeader("Bearer " + key, extra);
    }

    private List<String> searchedDocsWithHeader(String authorization) {
        return searchedDocsWithHeader(authorization, Map.of());
    }

    /** consistency=fresh makes every search ask the cloud too, so a cloud leak could not hide behind a confident local hit. */
    private List<String> searchedDocsWithHeader(String authorization, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("query", QUESTION, "k", 10, "consistency", "fresh"));
        body.putAll(extra);
        Response r = given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .post("/api/search");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.<String>path("cloudStatus")).as("the cloud took part").isEqualTo("used");
        return r.path("results.docId");
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static void ingest(String key, String id, String collection, String text) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("id", id, "title", "Kiwi", "text", text));
        if (collection != null) {
            body.put("collection", collection);
        }
        as(key).body(body).post("/api/documents").then().statusCode(201);
    }

    private void cloudRecord(String collection, String docId, String text) {
        float[] vector = embedder.embedPassages(List.of("Kiwi\n" + text)).get(0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    cloud.upsert(collection, List.of(CloudRecord.chunk(docId + "#0", docId, vector, text, "h", "Kiwi",
                            "kiwi.md", 1764000000000123456L, "cloud-node")
                            .with(io.edgerag.sync.cloud.CloudSink.EMBEDDING_MODEL, embedder.modelId())))
                            .await().atMost(Duration.ofSeconds(10));
                    return true;
                });
    }

    private static String token(KeyPair key, Set<String> groups, List<String> collections, long seconds) {
        return Jwt.claims().issuer(ISSUER).subject("bob").groups(groups).claim("collections", collections)
                .expiresIn(seconds).sign(key.getPrivate());
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
    }
}
