package io.edgerag.api;

import io.edgerag.generation.OllamaGate;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scrapes {@code /q/metrics} (Prometheus text) after real traffic, an ingest, a search and a chat
 * against the Ollama stand-in, and checks the appliance's own meters are there by name and moved.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class MetricsScrapeTest {

    @Inject
    OllamaGate gate;

    @Test
    void should_export_the_appliance_meters_after_traffic() {
        String before = scrape();
        gate.reset();
        OllamaStandInServer.current().script(List.of("Gannets", " dive", " [1]", "."), 10);
        given().contentType(ContentType.JSON).body(Map.of("id", "metrics-gannet", "title", "Gannets",
                        "text", "Gannets dive into the sea from thirty metres to catch fish."))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("query", "How do gannets catch fish?", "k", 2))
                .post("/api/search").then().statusCode(200);
        given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "How do gannets catch fish?", "k", 2))
                .post("/api/chat").then().statusCode(200);

        String after = scrape();
        // sync gauges and counters exist in standalone mode too (the outbox is just empty)
        assertThat(value(after, "edgerag_sync_outbox_depth")).isNotNull();
        assertThat(value(after, "edgerag_sync_outbox_bytes")).isNotNull();
        assertThat(after).contains("edgerag_sync_events_total{outcome=\"applied\"");
        assertThat(after).contains("edgerag_sync_lag_seconds_bucket");
        assertThat(after).contains("edgerag_sync_published_total");
        // ingest
        assertThat(value(after, "edgerag_ingest_chunks_total")).isGreaterThan(orZero(value(before, "edgerag_ingest_chunks_total")));
        assertThat(value(after, "edgerag_store_chunks")).isGreaterThan(orZero(value(before, "edgerag_store_chunks")));
        assertThat(value(after, "edgerag_store_keyword_chunks")).isEqualTo(value(after, "edgerag_store_chunks"));
        assertThat(value(after, "edgerag_store_positions")).isGreaterThanOrEqualTo(value(after, "edgerag_store_chunks"));
        assertThat(value(after, "edgerag_store_vector_memory_bytes")).isGreaterThan(0.0);
        assertThat(value(after, "edgerag_store_compactions_total")).isNotNull();
        String queryEmbeddings = "edgerag_embedding_latency_seconds_count{kind=\"query\"}";
        assertThat(value(after, queryEmbeddings)).isGreaterThan(orZero(value(before, queryEmbeddings)));
        String passageEmbeddings = "edgerag_embedding_latency_seconds_count{kind=\"passages\"}";
        assertThat(value(after, passageEmbeddings)).isGreaterThan(orZero(value(before, passageEmbeddings)));
        // retrieval: latency by tier, local hit/miss, cloud outcomes and circuit
        String localCount = "edgerag_retrieval_latency_seconds_count{tier=\"local\"}";
        assertThat(value(after, localCount)).isGreaterThan(orZero(value(before, localCount)));
        assertThat(orZero(value(after, "edgerag_retrieval_local_total{result=\"hit\"}"))
                + orZero(value(after, "edgerag_retrieval_local_total{result=\"miss\"}")))
                .isGreaterThan(orZero(value(before, "edgerag_retrieval_local_total{result=\"hit\"}"))
                        + orZero(value(before, "edgerag_retrieval_local_total{result=\"miss\"}")));
        assertThat(after).contains("edgerag_retrieval_cloud_outcomes_total{status=\"skipped\"");
        assertThat(value(after, "edgerag_retrieval_cloud_circuit_open")).isIn(0.0, 1.0);
        // generation: time to first token (count and p50), decode rate, answers — by model rollout arm — Ollama circuit
        String ttftCount = "edgerag_generation_time_to_first_token_seconds_count{arm=\"stable\"}";
        assertThat(value(after, ttftCount)).isGreaterThan(orZero(value(before, ttftCount)));
        assertThat(after).contains("edgerag_generation_time_to_first_token_seconds{arm=\"stable\",quantile=\"0.5\"");
        assertThat(value(after, "edgerag_generation_tokens_per_second_count{arm=\"stable\"}")).isGreaterThan(0.0);
        String answered = "edgerag_generation_answers_total{arm=\"stable\",outcome=\"ok\"}";
        assertThat(value(after, answered)).isGreaterThan(orZero(value(before, answered)));
        assertThat(value(after, "edgerag_ollama_circuit_open")).isEqualTo(0.0);
        // cloud sink meters are registered even with the sink off
        assertThat(after).contains("edgerag_cloud_sink_events_total{outcome=");
    }

    private static String scrape() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }

    /** The sample value of a series (name with its labels exactly as exported, or a bare name), or null. */
    private static Double value(String scrape, String series) {
        String head = series.contains("{") ? Pattern.quote(series.substring(0, series.length() - 1)) + "[^}]*\\}"
                : Pattern.quote(series) + "(?:\\{[^}]*\\})?";
        Matcher m = Pattern.compile("(?m)^" + head + " ([-+0-9.eE]+|NaN)$").matcher(scrape);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }
}
