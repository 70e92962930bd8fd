package io.edgerag.web;

import io.edgerag.security.TenantIsolationTest;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.edgerag.support.pinecone.PineconeStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With keys configured the chat page asks for one: its first question is refused (401), the key form
 * appears; with a key of collection {@code alpha} entered, the question is answered from alpha's
 * passage only. Runs with {@link TenantIsolationTest}'s profile (same scoped keys, one JVM for both).
 */
@QuarkusTest
@TestProfile(TenantIsolationTest.ScopedCallers.class)
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(PineconeStandInResource.class)
class ChatPageWithKeysInChromiumTest {

    private static final String OPS = "ops-admin-key-0004";
    private static final String ALPHA_READER = "alpha-reader-key-0001";

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void setUp() {
        OllamaStandInServer.current().script(List.of("Lighthouses", " guide", " ships", " [1]", "."), 20);
        for (String collection : List.of("alpha", "beta")) {
            given().header("X-API-Key", OPS).contentType(ContentType.JSON).body(Map.of("id", collection + "-light",
                            "title", "Lighthouses of " + collection, "collection", collection,
                            "text", "Lighthouses of " + collection + " guide ships at night with a rotating beam."))
                    .post("/api/documents").then().statusCode(201);
        }
    }

    @Test
    void should_ask_for_a_key_then_answer_within_its_collection() throws Exception {
        String chromium = HeadlessChromium.requireOrSkip();
        String url = root + "?q=" + URLEncoder.encode("What guides ships at night?", StandardCharsets.UTF_8);
        try (HeadlessChromium browser = new HeadlessChromium(chromium, url)) {
            assertThat(browser.waitFor("document.getElementById('key-form').hidden === false", 30_000))
                    .as("a refused call shows the key form").isTrue();
            assertThat(browser.evaluate("document.querySelector('.answer .error').textContent").asText())
                    .contains("API key");

            browser.evaluate("document.getElementById('api-key').value = '" + ALPHA_READER + "';"
                    + "document.getElementById('key-form').requestSubmit(); true");
            browser.evaluate("document.getElementById('question').value = 'What guides ships at night?';"
                    + "document.getElementById('ask').requestSubmit(); true");

            assertThat(browser.waitFor("document.querySelector('.turn[data-done=\\'true\\']') !== null", 30_000))
                    .as("the question asked with the key was answered").isTrue();
            String sources = browser.evaluate("document.querySelector('.turn[data-done=\\'true\\'] .sources').textContent")
                    .asText();
            assertThat(sources).contains("alpha").doesNotContain("beta");
            assertThat(browser.evaluate("sessionStorage.getItem('edgerag.apiKey')").asText()).isEqualTo(ALPHA_READER);
        }
    }
}
