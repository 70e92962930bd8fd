package io.edgerag.api;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Ingest, read, update, delete and search over real HTTP; RestAssured's status and body matchers assert. */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class DocumentsAndSearchApiTest {

    @Test
    void should_return_passage_written_by_same_client_immediately() {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", "kiwi", "title", "Kiwi birds", "text",
                        "The kiwi is a flightless bird native to New Zealand. It lays very large eggs.",
                        "collection", "animals"))
                .post("/api/documents")
                .then().statusCode(201).body("id", equalTo("kiwi")).body("chunks", equalTo(1))
                .body("version.hlc", matchesPattern("[1-9][0-9]*"))
                .body("version.nodeId", not(emptyOrNullString()));

        given().contentType(ContentType.JSON).body(Map.of("query", "flightless bird from New Zealand", "k", 3))
                .post("/api/search")
                .then().statusCode(200)
                .body("tier", equalTo("local"))
                .body("tookMs", notNullValue())
                .body("results[0].docId", equalTo("kiwi"))
                .body("results[0].chunkId", equalTo("kiwi#0"))
                .body("results[0].tier", equalTo("local"))
                .body("results[0].title", equalTo("Kiwi birds"))
                .body("results[0].score", greaterThan(0.3f));
    }

    @Test
    void should_describe_document_with_model_and_schema_version() {
        given().contentType(ContentType.JSON).body(Map.of("id", "meta-doc", "text", "Metadata test document text.",
                        "source", "unit", "metadata", Map.of("lang", "en")))
                .post("/api/documents").then().statusCode(201);

        given().get("/api/documents/meta-doc").then().statusCode(200)
                .body("id", equalTo("meta-doc"))
                .body("embeddingModel", equalTo("bge-small-en-v15-q"))
                .body("schemaVersion", equalTo(1))
                .body("metadata.lang", equalTo("en"))
                .body("contentHash", notNullValue());
    }

    @Test
    void should_replace_old_chunks_when_same_id_is_posted_again() {
        String first = given().contentType(ContentType.JSON).body(Map.of("id", "update-me", "text", "Volcanoes erupt lava and ash."))
                .post("/api/documents").then().statusCode(201).extract().path("version.hlc");
        String second = given().contentType(ContentType.JSON).body(Map.of("id", "update-me", "text", "Glaciers are slow rivers of ice."))
                .post("/api/documents").then().statusCode(201).extract().path("version.hlc");
        assertThat(Long.parseLong(second)).as("a rewrite gets a greater version").isGreaterThan(Long.parseLong(first));

        given().contentType(ContentType.JSON).body(Map.of("query", "volcano lava", "k", 100))
                .post("/api/search").then().statusCode(200)
                .body("results.findAll { it.docId == 'update-me' }.text", everyItem(startsWith("Glaciers")));
    }

    @Test
    void should_remove_document_from_search_at_once_when_deleted() {
        given().contentType(ContentType.JSON).body(Map.of("id", "to-delete", "text", "Quokkas are small smiling marsupials."))
                .post("/api/documents").then().statusCode(201);
        given().delete("/api/documents/to-delete").then().statusCode(204);

        given().get("/api/documents/to-delete").then().statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("query", "smiling marsupial", "k", 100))
                .post("/api/search").then().statusCode(200)
                .body("results.docId", not(hasItem("to-delete")));
    }

    @Test
    void should_derive_an_id_when_none_is_given() {
        given().contentType(ContentType.JSON).body(Map.of("text", "A document without an id of its own."))
                .post("/api/documents").then().statusCode(201).body("id", startsWith("doc-"));
    }

    @Test
    void should_ingest_markdown_html_and_text_uploads() {
        given().multiPart("file", "notes.md", "# Notes\n\nThe lighthouse keeper logs the weather at dawn."
                        .getBytes(StandardCharsets.UTF_8), "text/markdown")
                .post("/api/documents").then().statusCode(201).body("id", equalTo("notes.md"));
        given().multiPart("file", "page.html", "<html><body><h1>Page</h1><p>Saffron is harvested by hand.</p>"
                        + "<script>var x = 1;</script></body></html>".getBytes(StandardCharsets.UTF_8), "text/html")
                .multiPart("id", "html-page")
                .post("/api/documents").then().statusCode(201).body("id", equalTo("html-page"));
        given().multiPart("file", "plain.txt", "Plain text upload about copper wiring.".getBytes(StandardCharsets.UTF_8),
                        "text/plain")
                .post("/api/documents").then().statusCode(201);

        given().contentType(ContentType.JSON).body(Map.of("query", "who harvests saffron", "k", 1))
                .post("/api/search").then().statusCode(200)
                .body("results[0].docId", equalTo("html-page"))
                .body("results[0].text", not(org.hamcrest.Matchers.containsString("<p>")))
                .body("results[0].text", not(org.hamcrest.Matchers.containsString("var x")));
    }

    @Test
    void should_ingest_pdf_upload_through_pdfbox() throws Exception {
        given().multiPart("file", "tiny.pdf", TinyPdf.withText("Basalt columns form when lava cools slowly."),
                        "application/pdf")
                .post("/api/documents").then().statusCode(201).body("id", equalTo("tiny.pdf"));
        given().contentType(ContentType.JSON).body(Map.of("query", "how do basalt columns form", "k", 1))
                .post("/api/search").then().statusCode(200).body("results[0].docId", equalTo("tiny.pdf"));
    }

    @Test
    void should_restrict_search_to_collection() {
        given().contentType(ContentType.JSON).body(Map.of("id", "col-a", "text", "Tea ceremonies in Kyoto.", "collection", "a"))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("id", "col-b", "text", "Tea ceremonies in Kyoto too.", "collection", "b"))
                .post("/api/documents").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("query", "tea ceremony", "k", 10, "collection", "b"))
                .post("/api/search").then().statusCode(200)
                .body("results.collection", everyItem(equalTo("b")))
                .body("results.docId", hasItem("col-b"));
    }
}
