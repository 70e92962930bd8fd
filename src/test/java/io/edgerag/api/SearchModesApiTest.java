package io.edgerag.api;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Vector, keyword and hybrid search over real HTTP, with filters that act inside both indexes.
 * Assertions: AssertJ on the parsed responses, RestAssured matchers on the problem responses.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class SearchModesApiTest {

    private static final String COLLECTION = "search-modes";

    @BeforeEach
    void corpus() {
        put("pump-a", "Pump maintenance", "Replace the seal kit SK-7731 on the booster pump every 4,000 running hours.",
                "manuals/pump-a.md", "2024-03-10");
        put("pump-b", "Pump care", "Booster pumps wear their seals; renew them at the interval the vendor gives.",
                "manuals/pump-b.md", "2023-11-02");
        put("fan-c", "Fan cleaning", "Clean the fan blades and check the bearings for noise.", "manuals/fan-c.md", "2024-07-21");
    }

    private static void put(String id, String title, String text, String source, String date) {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "title", title, "text", text, "source", source, "collection", COLLECTION,
                        "metadata", Map.of("date", date, "kind", "manual")))
                .post("/api/documents").then().statusCode(201);
    }

    private static JsonPath search(Map<String, Object> body) {
        Map<String, Object> request = new java.util.HashMap<>(body);
        request.putIfAbsent("collection", COLLECTION);
        request.putIfAbsent("k", 3);
        return given().contentType(ContentType.JSON).body(request).post("/api/search")
                .then().statusCode(200).extract().jsonPath();
    }

    private static List<String> docIds(JsonPath answer) {
        return answer.getList("results.docId");
    }

    @Test
    void keyword_mode_finds_an_exact_part_number_and_reports_bm25_and_cosine() {
        JsonPath answer = search(Map.of("query", "SK-7731", "mode", "keyword"));

        assertThat(answer.getString("mode")).isEqualTo("keyword");
        assertThat(docIds(answer)).containsExactly("pump-a"); // the only chunk holding the term
        assertThat(answer.getFloat("results[0].keywordScore")).isPositive();
        assertThat(answer.getFloat("results[0].score")).isBetween(-1f, 1f);
        assertThat(answer.getString("results[0].fusedScore")).isNull();
    }

    @Test
    void hybrid_is_the_default_and_fuses_both_rankings() {
        JsonPath answer = search(Map.of("query", "how often to replace seal kit SK-7731 on a booster pump"));

        assertThat(answer.getString("mode")).isEqualTo("hybrid");
        assertThat(docIds(answer).get(0)).isEqualTo("pump-a");
        assertThat(answer.getFloat("results[0].fusedScore")).isPositive();
        assertThat(answer.getFloat("results[0].keywordScore")).isPositive();

        JsonPath weighted = search(Map.of("query", "booster pump seals", "mode", "hybrid", "fusion", "weighted"));
        assertThat(docIds(weighted)).contains("pump-a", "pump-b");
        assertThat(weighted.getFloat("results[0].fusedScore")).isPositive();

        JsonPath vector = search(Map.of("query", "booster pump seals", "mode", "vector"));
        assertThat(vector.getString("results[0].keywordScore")).isNull();
    }

    @Test
    void filters_act_inside_both_indexes_before_the_top_k_cut() {
        for (String mode : List.of("vector", "keyword", "hybrid")) {
            JsonPath bySource = search(Map.of("query", "booster pump seals", "mode", mode, "k", 1, "source", "manuals/pump-b.md"));
            assertThat(docIds(bySource)).as(mode).containsExactly("pump-b");

            JsonPath byDate = search(Map.of("query", "pump seal", "mode", mode, "k", 1,
                    "dateRange", Map.of("key", "date", "from", "2023-01-01", "to", "2023-12-31")));
            assertThat(docIds(byDate)).as(mode).containsExactly("pump-b");

            JsonPath byMetadata = search(Map.of("query", "pump seal", "mode", mode, "filter", Map.of("kind", "leaflet")));
            assertThat(docIds(byMetadata)).as(mode).isEmpty();
        }
    }

    @Test
    void keyword_index_follows_updates_and_deletes_at_once() {
        put("fan-c", "Fan cleaning", "Lubricate the fan shaft with grease type GX-12.", "manuals/fan-c.md", "2024-07-21");
        assertThat(docIds(search(Map.of("query", "GX-12", "mode", "keyword")))).containsExactly("fan-c");
        assertThat(docIds(search(Map.of("query", "bearings noise", "mode", "keyword")))).isEmpty();

        given().delete("/api/documents/fan-c").then().statusCode(204);
        assertThat(docIds(search(Map.of("query", "GX-12", "mode", "keyword")))).isEmpty();
    }

    @Test
    void bad_modes_fusions_and_dates_are_problems_not_stack_traces() {
        given().contentType(ContentType.JSON).body(Map.of("query", "pump", "mode", "semantic"))
                .post("/api/search").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("vector, keyword, hybrid"));
        given().contentType(ContentType.JSON).body(Map.of("query", "pump", "fusion", "borda"))
                .post("/api/search").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("rrf or weighted"));
        given().contentType(ContentType.JSON).body(Map.of("query", "pump", "dateRange", Map.of("key", "date", "from", "last tuesday")))
                .post("/api/search").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("ISO-8601"));
        given().contentType(ContentType.JSON).body(Map.of("query", "pump", "dateRange", Map.of("key", "date")))
                .post("/api/search").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("needs from, to or both"));
        given().contentType(ContentType.JSON).body(Map.of("query", "pump", "dateRange",
                        Map.of("key", "date", "from", "2025-01-01", "to", "2024-01-01")))
                .post("/api/search").then().statusCode(400).body("status", equalTo(400));
    }
}
