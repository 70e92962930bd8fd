package io.edgerag.embedding;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.ingest.IngestService;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A blue-green re-embedding migration on one appliance, over the admin API, with the real ONNX models: a
 * store written with all-MiniLM-L6-v2 builds bge-small vectors while MiniLM keeps serving, cuts over (then
 * every search is ranked by bge's own cosines, a write made during the build included), rolls back (MiniLM's
 * cosines again), and finalizes. The expected cosines are computed here with the models themselves.
 * Resuming a build after a restart is {@code EmbeddingMigrationStoreTest}'s (the state lives in SQLite).
 */
@QuarkusTest
@TestProfile(EmbeddingMigrationApiTest.OnMiniLm.class)
@QuarkusTestResource(OllamaStandInResource.class)
class EmbeddingMigrationApiTest {

    static final String MINILM = "all-minilm-l6-v2";
    static final String BGE = "bge-small-en-v15-q";

    public static class OnMiniLm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgerag.embedding.model", MINILM,
                    "edgerag.embedding.migration.auto-cut-over", "false",
                    "edgerag.embedding.migration.batch-size", "2",
                    "edgerag.embedding.migration.pause", "20ms");
        }
    }

    static final Map<String, String> DOCS = new LinkedHashMap<>();

    static {
        DOCS.put("tides", "Tides are caused by the gravitational pull of the moon and the sun on the oceans.");
        DOCS.put("volcano", "A volcano erupts when magma rises through the crust and escapes as lava and ash.");
        DOCS.put("bees", "Honey bees communicate the direction of flowers to the hive with a waggle dance.");
        DOCS.put("glacier", "Glaciers carve valleys as the ice slowly flows downhill under its own weight.");
        DOCS.put("compiler", "A compiler translates source code into machine code before the program runs.");
    }

    static final String DURING_BUILD = "Coral reefs are built by tiny animals that secrete calcium carbonate skeletons.";
    static final String QUERY = "what makes the sea level rise and fall every day";

    @Inject
    EdgeragConfig config;

    @Test
    void should_migrate_from_minilm_to_bge_while_serving_then_roll_back_and_finalize() {
        DOCS.forEach(EmbeddingMigrationApiTest::ingest);
        JsonPath before = state();
        assertThat(before.getString("activeModel")).isEqualTo(MINILM);
        assertThat(before.getString("phase")).isEqualTo("NONE");
        assertThat(search(QUERY).getString("embeddingModel")).isEqualTo(MINILM);

        given().contentType(ContentType.JSON).body(Map.of("targetModel", "gpt-embed-9000"))
                .post("/api/admin/embedding/migrations").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("gpt-embed-9000"));
        given().contentType(ContentType.JSON).body(Map.of("targetModel", BGE))
                .post("/api/admin/embedding/migrations").then().statusCode(202).body("phase", org.hamcrest.Matchers.equalTo("BUILDING"));
        given().contentType(ContentType.JSON).body(Map.of("targetModel", BGE))
                .post("/api/admin/embedding/migrations").then().statusCode(409).contentType("application/problem+json");

        ingest("coral", DURING_BUILD); // lands in both models' vectors
        JsonPath whileBuilding = search(QUERY);
        assertThat(whileBuilding.getString("embeddingModel")).as("the old model serves during the build").isEqualTo(MINILM);
        assertTopScoreIs(whileBuilding, MINILM);

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> state().getLong("missing") == 0);
        JsonPath built = state();
        assertThat(built.getDouble("progress")).isEqualTo(1.0);
        assertThat(built.getLong("etaSeconds")).isZero();
        assertThat(built.getString("targetModel")).isEqualTo(BGE);
        assertThat(built.getMap("nodes")).hasSize(1);

        JsonPath cutOver = given().post("/api/admin/embedding/migrations/cut-over").then().statusCode(200).extract().jsonPath();
        assertThat(cutOver.getString("activeModel")).isEqualTo(BGE);
        assertThat(cutOver.getString("phase")).isEqualTo("CUT_OVER");
        assertThat(cutOver.getString("previousModel")).isEqualTo(MINILM);
        JsonPath onBge = search(QUERY);
        assertThat(onBge.getString("embeddingModel")).isEqualTo(BGE);
        assertTopScoreIs(onBge, BGE);
        JsonPath coral = search("calcium carbonate skeletons of reef animals");
        assertThat(coral.getString("results[0].docId")).isEqualTo("coral");
        assertThat(coral.getDouble("results[0].score")).as("the write made during the build has its bge vector")
                .isCloseTo(cosine(BGE, "calcium carbonate skeletons of reef animals", "coral", DURING_BUILD), within(1e-3));
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("edgerag_embedding_migration_phase 2.0");

        JsonPath rolledBack = given().post("/api/admin/embedding/migrations/rollback").then().statusCode(200).extract().jsonPath();
        assertThat(rolledBack.getString("activeModel")).isEqualTo(MINILM);
        assertThat(rolledBack.getString("phase")).isEqualTo("NONE");
        JsonPath onMiniLm = search(QUERY);
        assertThat(onMiniLm.getString("embeddingModel")).isEqualTo(MINILM);
        assertTopScoreIs(onMiniLm, MINILM);
        assertThat(onMiniLm.getList("results.docId")).isEqualTo(whileBuilding.getList("results.docId"));

        given().post("/api/admin/embedding/migrations/finalize").then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("targetModel", BGE))
                .post("/api/admin/embedding/migrations").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> state().getLong("missing") == 0);
        given().post("/api/admin/embedding/migrations/cut-over").then().statusCode(200);
        JsonPath finalized = given().post("/api/admin/embedding/migrations/finalize").then().statusCode(200).extract().jsonPath();
        assertThat(finalized.getString("activeModel")).isEqualTo(BGE);
        assertThat(finalized.getString("phase")).isEqualTo("NONE");
        given().post("/api/admin/embedding/migrations/rollback").then().statusCode(409);
        assertTopScoreIs(search(QUERY), BGE);
    }

    /** The top vector-mode passage's score is its cosine under {@code model}, computed here from the model itself. */
    void assertTopScoreIs(JsonPath search, String model) {
        String docId = search.getString("results[0].docId");
        String text = docId.equals("coral") ? DURING_BUILD : DOCS.get(docId);
        assertThat(search.getDouble("results[0].score")).as("score of %s under %s", docId, model)
                .isCloseTo(cosine(model, QUERY, docId, text), within(1e-3));
        List<String> expectedOrder = DOCS.keySet().stream()
                .sorted((a, b) -> Double.compare(cosine(model, QUERY, b, DOCS.get(b)), cosine(model, QUERY, a, DOCS.get(a))))
                .toList();
        assertThat(docId).isEqualTo(expectedOrder.get(0));
    }

    double cosine(String model, String query, String docId, String text) {
        Embedder embedder = embedders.computeIfAbsent(model, m -> new Embedder(config, null, m));
        float[] q = embedder.embedQuery(query);
        float[] p = embedder.embedPassages(List.of(IngestService.withTitle(docId, text))).get(0);
        double dot = 0;
        for (int i = 0; i < q.length; i++) {
            dot += q[i] * p[i];
        }
        return dot;
    }

    final Map<String, Embedder> embedders = new java.util.HashMap<>();

    static void ingest(String id, String text) {
        given().contentType(ContentType.JSON).body(Map.of("id", id, "title", id, "text", text))
                .post("/api/documents").then().statusCode(201);
    }

    static JsonPath search(String query) {
        return given().contentType(ContentType.JSON).body(Map.of("query", query, "mode", "vector", "k", 3))
                .post("/api/search").then().statusCode(200).extract().jsonPath();
    }

    static JsonPath state() {
        return given().get("/api/admin/embedding").then().statusCode(200).extract().jsonPath();
    }
}
