package io.edgerag.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.edgerag.support.app.ApplianceProcess;
import io.edgerag.support.app.FleetWithCloud;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.pinecone.proto.Vector;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A blue-green re-embedding migration across the fleet: two appliances (packaged, separate JVMs) on
 * all-MiniLM-L6-v2, one real Kafka broker and the Pinecone stand-in (b runs the cloud sink). Node a is told to
 * migrate to bge-small; the plan reaches b through the control topic; both build, cut over on their own and
 * re-publish what they wrote, while a loop keeps searching and writing on both (b is restarted in the middle of
 * its build and resumes it; the loop leaves b alone meanwhile). Every search must succeed and
 * name one model, and every passage's score must be its cosine under that model, computed here with the model
 * itself: a passage ranked by the other model's vector would not match. At the end both nodes serve bge and
 * the cloud holds bge records only; then a rollback told to b brings both nodes and the cloud back to MiniLM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddingMigrationAcrossNodesIT {

    private static final String COLLECTION = "mig";
    private static final String MINILM = "all-minilm-l6-v2";
    private static final String BGE = "bge-small-en-v15-q";
    private static final Duration SETTLE = Duration.ofMinutes(4);
    private static final List<String> QUERIES = List.of("why does the sea rise and fall", "how do volcanoes erupt",
            "insects that make honey", "rivers of ice in the mountains");

    private final Map<String, String> texts = new ConcurrentHashMap<>();
    private final Map<String, EmbeddingModel> models = Map.of(MINILM, new AllMiniLmL6V2EmbeddingModel(),
            BGE, new BgeSmallEnV15QuantizedEmbeddingModel());
    private final Map<String, Double> cosines = new ConcurrentHashMap<>();

    private FleetWithCloud fleet;
    private PineconeStandInServer cloud;
    private ApplianceProcess a;
    private ApplianceProcess b;

    @BeforeAll
    void start() throws Exception {
        fleet = FleetWithCloud.start("it-migration");
        cloud = fleet.cloud();
        a = node("a");
        b = node("b").with("edgerag.cloud.sink.enabled", "true").with("edgerag.cloud.reconcile.interval", "0");
        fleet.startNodes();
        Map<String, String> seed = new LinkedHashMap<>();
        seed.put("tides", "Tides are caused by the gravitational pull of the moon and the sun on the oceans.");
        seed.put("volcano", "A volcano erupts when magma rises through the crust and escapes as lava and ash.");
        seed.put("bees", "Honey bees communicate the direction of flowers to the hive with a waggle dance.");
        seed.put("glacier", "Glaciers carve valleys as the ice slowly flows downhill under its own weight.");
        seed.put("compiler", "A compiler translates source code into machine code before the program runs.");
        seed.put("coral", "Coral reefs are built by tiny animals that secrete calcium carbonate skeletons.");
        for (int i = 0; i < 40; i++) {
            seed.put("log-" + i, "Logbook entry " + i + ": the ferry crossed the strait with " + (i * 7 % 50) + " cars aboard.");
        }
        seed.forEach((id, text) -> write(i(id) % 2 == 0 ? a : b, id, text));
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(cloudRecords()).hasSize(seed.size());
            for (String id : seed.keySet()) {
                b.http().get("/api/documents/" + id).then().statusCode(200);
            }
        });
    }

    private static int i(String id) {
        return Math.abs(id.hashCode());
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    private ApplianceProcess node(String id) throws Exception {
        // a slow build on purpose: the traffic and a restart must fall inside it
        return fleet.node(id)
                .with("edgerag.embedding.migration.batch-size", "2")
                .with("edgerag.embedding.migration.pause", "150ms");
    }

    @Test
    @Order(1)
    void migrates_both_nodes_and_the_cloud_to_bge_while_queries_and_writes_continue() throws Exception {
        Traffic traffic = new Traffic();
        java.util.concurrent.ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<?> loop = runner.submit(traffic);
        await().atMost(Duration.ofMinutes(1)).until(() -> traffic.searches.get() >= 4);

        a.http().contentType(ContentType.JSON).body(Map.of("targetModel", BGE))
                .post("/api/admin/embedding/migrations").then().statusCode(202);

        // b hears of it through the control topic; restarted in the middle of its build, it resumes
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> "BUILDING".equals(state(b).getString("phase")) && state(b).getLong("embedded") > 0);
        traffic.paused.add(b);
        await().atMost(Duration.ofMinutes(1)).until(() -> traffic.current != b);
        b.stop();
        b.start();
        JsonPath resumed = state(b);
        assertThat(resumed.getString("phase")).as("b after its restart").isIn("BUILDING", "CUT_OVER");
        traffic.paused.remove(b);

        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (ApplianceProcess n : List.of(a, b)) {
                JsonPath s = state(n);
                assertThat(s.getString("activeModel")).as(n.name()).isEqualTo(BGE);
                assertThat(s.getString("phase")).as(n.name()).isEqualTo("CUT_OVER");
            }
            assertThat(state(a).getString("nodes.b.activeModel")).isEqualTo(BGE);
        });
        await().atMost(Duration.ofMinutes(1)).until(() -> traffic.modelsSeen.contains(BGE) && traffic.writes.get() >= 4);
        traffic.stop.set(true);
        loop.get();
        runner.shutdown();

        assertThat(traffic.failures).isEmpty();
        assertThat(traffic.modelsSeen).containsExactlyInAnyOrder(MINILM, BGE);
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<Vector> records = cloudRecords();
            assertThat(records).extracting(v -> v.getId().substring(0, v.getId().indexOf('#')))
                    .containsAll(texts.keySet());
            assertThat(records).extracting(EmbeddingMigrationAcrossNodesIT::modelOf).containsOnly(BGE);
        });
        for (ApplianceProcess n : List.of(a, b)) {
            for (String docId : texts.keySet()) {
                n.http().get("/api/documents/" + docId).then().statusCode(200)
                        .body("embeddingModel", org.hamcrest.Matchers.equalTo(BGE));
            }
            checkSearch(n, QUERIES.get(0), Set.of(BGE));
        }
    }

    @Test
    @Order(2)
    void a_rollback_told_to_one_node_brings_both_nodes_and_the_cloud_back() {
        b.http().post("/api/admin/embedding/migrations/rollback").then().statusCode(200)
                .body("activeModel", org.hamcrest.Matchers.equalTo(MINILM));

        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (ApplianceProcess n : List.of(a, b)) {
                JsonPath s = state(n);
                assertThat(s.getString("activeModel")).as(n.name()).isEqualTo(MINILM);
                assertThat(s.getString("phase")).as(n.name()).isEqualTo("NONE");
            }
            assertThat(cloudRecords()).extracting(EmbeddingMigrationAcrossNodesIT::modelOf).containsOnly(MINILM);
        });
        for (ApplianceProcess n : List.of(a, b)) {
            for (String query : QUERIES) {
                checkSearch(n, query, Set.of(MINILM));
            }
        }
    }

    /** Searches and writes on both nodes, round robin, until told to stop; records what failed and the models seen. */
    private final class Traffic implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger searches = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final Set<String> modelsSeen = ConcurrentHashMap.newKeySet();
        /** Nodes being restarted on purpose: no traffic for them meanwhile. */
        final Set<ApplianceProcess> paused = ConcurrentHashMap.newKeySet();
        /** The node a request is on its way to now (null between requests). */
        volatile ApplianceProcess current;

        @Override
        public void run() {
            int i = 0;
            while (!stop.get()) {
                ApplianceProcess n = i % 2 == 0 ? a : b;
                current = n;
                if (paused.contains(n)) {
                    current = null;
                    i++;
                    continue;
                }
                try {
                    if (i % 5 == 4) {
                        String id = "during-" + i;
                        Response r = writeResponse(n, id, "Note " + i + ": the lighthouse keeper logs the tide at dawn.");
                        if (r.statusCode() != 201) {
                            failures.add("write " + id + " on " + n.name() + ": " + r.statusCode() + " " + r.asString());
                        } else {
                            writes.incrementAndGet();
                        }
                    } else {
                        modelsSeen.add(checkSearch(n, QUERIES.get(i % QUERIES.size()), Set.of(MINILM, BGE)));
                        searches.incrementAndGet();
                    }
                } catch (AssertionError | RuntimeException e) {
                    failures.add(n.name() + ": " + e.getMessage());
                }
                current = null;
                i++;
            }
        }
    }

    /**
     * One vector-mode search: 200, one model named, and each passage's score its cosine under that model (a passage
     * ranked by a vector of the other model would score differently). Returns the model.
     */
    private String checkSearch(ApplianceProcess n, String query, Set<String> allowed) {
        Response r = n.http().contentType(ContentType.JSON)
                .body(Map.of("query", query, "collection", COLLECTION, "k", 3, "mode", "vector")).post("/api/search");
        assertThat(r.statusCode()).as("search on %s: %s", n.name(), r.asString()).isEqualTo(200);
        String model = r.path("embeddingModel");
        assertThat(allowed).as("model of a search on %s", n.name()).contains(model);
        List<Map<String, Object>> results = r.path("results");
        for (Map<String, Object> p : results) {
            String docId = (String) p.get("docId");
            String text = texts.get(docId);
            assertThat(text).as("passage %s", docId).isNotNull();
            double score = ((Number) p.get("score")).doubleValue();
            assertThat(score).as("%s on %s scored by %s", docId, n.name(), model)
                    .isCloseTo(cosine(model, query, docId, text), org.assertj.core.data.Offset.offset(2e-3));
        }
        return model;
    }

    private double cosine(String model, String query, String docId, String text) {
        return cosines.computeIfAbsent(model + "|" + query + "|" + docId, k -> {
            EmbeddingModel m = models.get(model);
            String prefix = model.equals(BGE) ? EmbeddingSpec.BGE_QUERY_PREFIX : "";
            float[] q = m.embed(prefix + query).content().vector();
            float[] p = m.embed(docId + "\n" + text).content().vector();
            double dot = 0;
            double nq = 0;
            double np = 0;
            for (int i = 0; i < q.length; i++) {
                dot += q[i] * p[i];
                nq += q[i] * q[i];
                np += p[i] * p[i];
            }
            return dot / Math.sqrt(nq * np);
        });
    }

    private void write(ApplianceProcess n, String id, String text) {
        assertThat(writeResponse(n, id, text).statusCode()).isEqualTo(201);
    }

    private Response writeResponse(ApplianceProcess n, String id, String text) {
        texts.put(id, text);
        return n.http().contentType(ContentType.JSON)
                .body(Map.of("id", id, "title", id, "collection", COLLECTION, "text", text)).post("/api/documents");
    }

    private static JsonPath state(ApplianceProcess n) {
        return n.http().get("/api/admin/embedding").then().statusCode(200).extract().jsonPath();
    }

    private List<Vector> cloudRecords() {
        return cloud.stored(COLLECTION);
    }

    private static String modelOf(Vector v) {
        var field = v.getMetadata().getFieldsMap().get("embedding_model");
        return field == null ? null : field.getStringValue();
    }
}
