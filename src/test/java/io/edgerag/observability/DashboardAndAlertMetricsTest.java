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
import jakarta.ws.rs.HttpMethod;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the Grafana dashboard in {@code deploy/} may name only series this appliance
 * really exports: after real traffic (ingest, search, chat against the Ollama stand-in), every
 * {@code edgerag_*} series their queries use must appear in a scrape of {@code /q/metrics}. The runbooks in
 * {@code deploy/runbooks} are held to the same: every series they name is exported, every alert they name
 * is in the rules, and every {@code /api} path they mention (with the method of their curl commands) is a
 * real JAX-RS route.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class DashboardAndAlertMetricsTest {

    static final Path RULES = Path.of("deploy/prometheus/edgerag-alerts.yaml");
    static final Path DASHBOARD = Path.of("deploy/grafana/edgerag-dashboard.json");
    static final Path RUNBOOKS = Path.of("deploy/runbooks");
    private static final Pattern SERIES = Pattern.compile("\\b(edgerag_[a-z0-9_]+)");
    private static final Pattern ALERT = Pattern.compile("\\b(Edgerag[A-Z][A-Za-z]+)");
    private static final Pattern API_PATH = Pattern.compile("(/api/[A-Za-z0-9_/.-]*[A-Za-z0-9_-])");

    @Inject
    OllamaGate gate;

    @Test
    void should_use_only_series_the_appliance_exports_in_alerts_and_dashboard() throws IOException {
        Set<String> exported = exportedAfterTraffic();

        Set<String> inRules = seriesIn(ruleExpressions());
        Set<String> inDashboard = seriesIn(dashboardExpressions());

        assertThat(inRules).as("series named by the alert rules").hasSizeGreaterThanOrEqualTo(4);
        assertThat(inDashboard).as("series named by the dashboard").hasSizeGreaterThanOrEqualTo(8)
                .contains("edgerag_generation_answers_total", "edgerag_generation_feedback_total",
                        "edgerag_store_vector_memory_bytes", "edgerag_store_compactions_total");
        assertThat(exported).as("exported series").containsAll(inRules).containsAll(inDashboard);
    }

    @Test
    void should_name_only_exported_series_existing_alerts_and_real_endpoints_in_the_runbooks() throws IOException {
        Map<String, String> runbooks = runbooks();
        assertThat(runbooks.keySet()).as("runbooks").contains("sync-lag.md", "cloud-outage.md",
                "reembedding-migration.md", "restore-from-backup.md", "rotating-keys.md", "README.md");
        runbooks.keySet().stream().filter(name -> !name.equals("README.md"))
                .forEach(name -> assertThat(runbooks.get("README.md")).as("index links " + name).contains("(" + name + ")"));
        String all = String.join("\n", runbooks.values());

        Set<String> exported = exportedAfterTraffic();
        Set<String> named = seriesIn(List.of(all));
        assertThat(named).as("series named by the runbooks").hasSizeGreaterThanOrEqualTo(15);
        assertThat(named).as("series named by the runbooks, not exported")
                .filteredOn(series -> !isExported(series, exported)).isEmpty();

        Set<String> alerts = namesIn(all, ALERT);
        assertThat(alerts).as("alerts named by the runbooks").contains("EdgeragSyncLagHigh", "EdgeragCloudCircuitOpen")
                .isSubsetOf(alertNames());

        List<Route> routes = apiRoutes();
        assertThat(routes).as("JAX-RS routes under /api").hasSizeGreaterThanOrEqualTo(10);
        Set<String> mentioned = namesIn(all, API_PATH);
        assertThat(mentioned).as("/api paths in the runbooks without a route")
                .filteredOn(path -> routes.stream().noneMatch(r -> r.path().matcher(path).matches()))
                .isEmpty();
        List<Call> calls = curlCalls(runbooks.values());
        assertThat(calls).as("curl calls to /api in the runbooks").hasSizeGreaterThanOrEqualTo(10);
        assertThat(calls).as("curl calls whose method has no route")
                .filteredOn(c -> routes.stream().noneMatch(r -> r.method().equals(c.method()) && r.path().matcher(c.path()).matches()))
                .isEmpty();
    }

    /**
     * Ingest, search, a chat (the per-arm answer and first-token series), a vote on its answer (the feedback
     * series) and a reconcile call (409 here, but it brings up the cloud sink's series), then a scrape.
     */
    private Set<String> exportedAfterTraffic() {
        gate.reset();
        OllamaStandInServer.current().script(List.of("Puffins", " nest", " [1]", "."), 0);
        given().contentType(ContentType.JSON).body(Map.of("id", "dash-puffin", "title", "Puffins",
                        "text", "Puffins nest in burrows on cliff tops and fish for sand eels."))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("query", "Where do puffins nest?", "k", 2))
                .post("/api/search").then().statusCode(200);
        String chat = given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "Where do puffins nest?", "k", 2))
                .post("/api/chat").then().statusCode(200).extract().asString();
        Matcher answer = Pattern.compile("\"answerId\"\\s*:\\s*\"([^\"]+)\"").matcher(chat);
        assertThat(answer.find()).as("answerId in the chat's done event: " + chat).isTrue();
        given().contentType(ContentType.JSON).body(Map.of("answerId", answer.group(1), "vote", "up"))
                .post("/api/feedback").then().statusCode(200);
        given().post("/api/admin/cloud/reconcile").then().statusCode(409);
        return exportedSeries(given().accept("text/plain").get("/q/metrics")
                .then().statusCode(200).extract().asString());
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

    /** A series, a histogram/summary family (its {@code _count}), or a prefix as in {@code grep '^edgerag_sync_'}. */
    static boolean isExported(String series, Set<String> exported) {
        return series.endsWith("_") ? exported.stream().anyMatch(e -> e.startsWith(series))
                : exported.contains(series) || exported.contains(series + "_count");
    }

    static Map<String, String> runbooks() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(RUNBOOKS)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }

    static Set<String> namesIn(String text, Pattern pattern) {
        Set<String> names = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static Set<String> alertNames() throws IOException {
        try (Reader r = Files.newBufferedReader(RULES)) {
            Map<String, Object> doc = new Yaml().load(r);
            return ((List<Map<String, Object>>) doc.get("groups")).stream()
                    .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                    .map(rule -> String.valueOf(rule.get("alert"))).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    record Route(String method, Pattern path) {
    }

    record Call(String method, String path) {
    }

    /** Every JAX-RS resource method of {@code io.edgerag.api} whose path starts with /api, as HTTP method + path pattern. */
    static List<Route> apiRoutes() throws IOException {
        List<Route> routes = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("target/classes/io/edgerag/api"))) {
            for (Path f : files.map(Path::getFileName).filter(n -> n.toString().endsWith(".class") && !n.toString().contains("$")).toList()) {
                Class<?> type = loadApiClass(f.toString().replace(".class", ""));
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (base == null) {
                    continue;
                }
                for (Method m : type.getMethods()) {
                    String verb = httpMethod(m);
                    jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                    String template = ("/" + base.value() + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                    template = template.length() > 1 ? template.replaceAll("/$", "") : template;
                    if (verb != null && template.startsWith("/api/")) {
                        routes.add(new Route(verb, Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+"))));
                    }
                }
            }
        }
        return routes;
    }

    private static Class<?> loadApiClass(String simpleName) {
        try {
            return Class.forName("io.edgerag.api." + simpleName, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** The curl commands of the runbooks (continuation lines joined) that call /api: -X, else POST with -d, else GET. */
    static List<Call> curlCalls(Iterable<String> texts) {
        List<Call> calls = new ArrayList<>();
        for (String text : texts) {
            for (String line : text.replaceAll("\\\\\\s*\\n\\s*", " ").split("\n")) {
                int at = line.indexOf("curl ");
                if (at < 0) {
                    continue;
                }
                String command = line.substring(at).split("`|\\|")[0];
                Matcher explicit = Pattern.compile("-X\\s*([A-Z]+)").matcher(command);
                String method = explicit.find() ? explicit.group(1) : command.matches(".*\\s-d\\s.*") ? "POST" : "GET";
                for (String path : namesIn(command, API_PATH)) {
                    calls.add(new Call(method, path));
                }
            }
        }
        return calls;
    }
}
