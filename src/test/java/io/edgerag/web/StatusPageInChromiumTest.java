package io.edgerag.web;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads {@code /status} in headless Chromium: the page shows this node's id, mode and chunk count from
 * {@code /api/status}, and its next poll (every 2 s) shows the chunk an ingest added meanwhile. Skipped
 * only when Chromium is missing outside CI; in CI (env {@code CI} set) a missing Chromium fails.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class StatusPageInChromiumTest {

    @TestHTTPResource("/status")
    URL page;

    @Test
    void should_render_node_and_chunk_count_and_follow_an_ingest() throws Exception {
        String chromium = HeadlessChromium.requireOrSkip();
        var status = given().get("/api/status").then().statusCode(200).extract().jsonPath();
        String node = status.getString("node");
        long chunks = status.getLong("store.chunks");

        try (HeadlessChromium browser = new HeadlessChromium(chromium, page.toString())) {
            assertThat(browser.waitFor("Number(document.body.dataset.polls || 0) >= 1", 30_000))
                    .as("the page rendered /api/status at least once").isTrue();
            assertThat(text(browser, "node")).isEqualTo(node);
            assertThat(text(browser, "mode")).isEqualTo("standalone");
            assertThat(text(browser, "chunks")).isEqualTo(String.format(java.util.Locale.ENGLISH, "%,d", chunks));
            assertThat(text(browser, "sync-state")).isEqualTo("disabled (standalone)");
            assertThat(text(browser, "index-type")).isNotBlank().isNotEqualTo("–");
            assertThat(browser.evaluate("document.getElementById('card-sink').hidden").asBoolean())
                    .as("no cloud sink on a standalone node").isTrue();
            assertThat(browser.evaluate("document.getElementById('connectors-none').hidden").asBoolean())
                    .as("no source connector configured: the page says so").isFalse();
            assertThat(browser.evaluate("document.getElementById('connector-rows').children.length").asInt()).isZero();

            given().contentType(ContentType.JSON).body(Map.of("id", "status-page-tern", "title", "Terns",
                            "text", "Arctic terns migrate from the Arctic to the Antarctic and back every year."))
                    .post("/api/documents").then().statusCode(201);
            String expected = String.format(java.util.Locale.ENGLISH, "%,d", chunks + 1);
            assertThat(browser.waitFor("document.getElementById('chunks').textContent === '" + expected + "'", 10_000))
                    .as("a later poll shows the new chunk (now %s)", text(browser, "chunks")).isTrue();
            assertThat(browser.evaluate("Number(document.getElementById('spark-chunks').dataset.points || 0) >= 2")
                    .asBoolean()).as("the chunk sparkline carries the samples").isTrue();
        }
    }

    private static String text(HeadlessChromium browser, String id) throws Exception {
        return browser.evaluate("document.getElementById('" + id + "').textContent").asText();
    }
}
