package io.edgerag.web;

import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
 * Loads the chat page in headless Chromium, lets it ask a question ({@code ?q=}), and checks the DOM
 * after the stream: the stand-in's answer, a citation link to the passage, its tier. Skipped only
 * when Chromium is missing outside CI; in CI (env {@code CI} set) a missing Chromium fails.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class ChatPageInChromiumTest {

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void setUp() {
        OllamaStandInServer.current().script(List.of("Lighthouses", " guide", " ships", " at", " night", " [1]", "."), 20);
        given().contentType(ContentType.JSON).body(Map.of("id", "lighthouse", "title", "Lighthouses",
                "text", "Lighthouses guide ships at night with a rotating beam of light.")).post("/api/documents")
                .then().statusCode(201);
    }

    @Test
    void should_stream_an_answer_with_clickable_citations_into_the_page() throws Exception {
        String chromium = HeadlessChromium.requireOrSkip();
        String url = root + "?q=" + URLEncoder.encode("What guides ships at night?", StandardCharsets.UTF_8);
        try (HeadlessChromium browser = new HeadlessChromium(chromium, url)) {
            assertThat(browser.waitFor("document.querySelector('.turn[data-done=\\'true\\']') !== null", 30_000))
                    .as("the page received the done event").isTrue();
            String answer = browser.evaluate("document.querySelector('.answer').textContent").asText();
            String dom = browser.evaluate("document.querySelector('.turn').outerHTML").asText();

            assertThat(answer).isEqualTo("Lighthouses guide ships at night [1].");
            assertThat(dom).contains("<a class=\"cite\" href=\"#passage-1\" data-n=\"1\"");
            assertThat(dom).contains("<span class=\"tier\">local</span>");
            assertThat(dom).doesNotContain("class=\"degraded\"");

            browser.evaluate("document.querySelector('.answer a.cite').click()");
            assertThat(browser.evaluate("document.getElementById('passage').open").asBoolean())
                    .as("clicking [1] opens the passage").isTrue();
            assertThat(browser.evaluate("document.getElementById('passage-text').textContent").asText())
                    .isEqualTo("Lighthouses guide ships at night with a rotating beam of light.");
            assertThat(browser.evaluate("document.getElementById('passage-tier').textContent").asText())
                    .isEqualTo("local");
        }
    }
}
