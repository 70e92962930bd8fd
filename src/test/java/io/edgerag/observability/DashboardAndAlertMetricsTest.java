package io.edgerag.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.generation.OllamaGate;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the Grafana dashboard in {@code deploy/} may name only series this appliance
 * really exports: after real traffic (ingest, search, chat against the Ollama stand-in), every
 * {@code edgerag_*} series their queries use must appear in a scrape of {@code /q/metrics}.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class DashboardAndAlertMetricsTest {

    static final Path RULES = Path.of("deploy/prometheus/edgerag-alerts.yaml");
    static final Path DASHBOARD = Path.of("deploy/grafana/edgerag-dashboard.json");
    private static final Pattern SERIES = Pattern.compile("\\b(edgerag_[a-z0-9_]+)");

    @Inject
    OllamaGate gate;

    @Test
    void should_use_only_series_the_appliance_exports_in_alerts_and_dashboard() throws IOException {
        gate.reset();
        OllamaStandInServer.current().script(List.of("Puffins", " nest", " [1]", "."), 0);
        given().contentType(ContentType.JSON).body(Map.of("id", "dash-puffin", "title", "Puffins",
                        "text", "Puffins nest in burrows on cliff tops and fish for sand eels."))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("query", "Where do puffins nest?", "k", 2))
                .post("/api/search").then().statusCode(200);
        given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "Where do puffins nest?", "k", 2))
                .post("/api/chat").then().statusCode(200);
        Set<String> exported = exportedSeries(given().accept("text/plain").get("/q/metrics")
                .then().statusCode(200).extract().asString());

        Set<String> inRules = seriesIn(ruleExpressions());
        Set<String> inDashboard = seriesIn(dashboardExpressions());

        assertThat(inRules).as("series named by the alert rules").hasSizeGreaterThanOrEqualTo(4);
        assertThat(inDashboard).as("series named by the dashboard").hasSizeGreaterThanOrEqualTo(8);
        assertThat(exported).as("exported series").containsAll(inRules).containsAll(inDashboard);
    }

    @Test
    void should_parse_the_dashboard_with_a_query_on_every_panel_and_unique_panel_ids() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.path("expr").asText()).isNotBlank());
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        });
        Set<Integer> ids = new TreeSet<>();
        dashboard.path("panels").forEach(p -> assertThat(ids.add(p.path("id").asInt())).as("panel id " + p.path("id")).isTrue());
        List<String> titles = dashboard.path("panels").findValuesAsText("title");
        assertThat(String.join(" ", titles).toLowerCase())
                .contains("lag", "outbox", "hit ratio", "fallbacks", "first token");
    }

    /** Names of the series (histogram buckets, summary quantiles, counters with _total) in a Prometheus text scrape. */
    static Set<String> exportedSeries(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{| )").matcher(scrape);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Set<String> seriesIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String e : expressions) {
            Matcher m = SERIES.matcher(e);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static List<String> ruleExpressions() throws IOException {
        try (Reader r = Files.newBufferedReader(RULES)) {
            Map<String, Object> doc = new Yaml().load(r);
            return ((List<Map<String, Object>>) doc.get("groups")).stream()
                    .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                    .map(rule -> String.valueOf(rule.get("expr"))).toList();
        }
    }

    static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> out = new java.util.ArrayList<>(dashboard.findValuesAsText("expr"));
        dashboard.path("templating").path("list").forEach(v -> out.add(v.path("query").asText()));
        return out;
    }
}
