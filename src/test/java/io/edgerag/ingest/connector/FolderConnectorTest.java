package io.edgerag.ingest.connector;

import io.edgerag.ingest.IngestService;
import io.edgerag.support.OllamaStandInResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watched-folder connector against real files, the real ingest pipeline and store: add, modify, rename
 * and delete files and see GET and search follow; a restart (a new connector over the same state) applies
 * what changed while it was down; unchanged files are never embedded again (the chunk counter stays put).
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class FolderConnectorTest {

    @Inject
    IngestService ingest;

    @Inject
    MeterRegistry registry;

    @TempDir
    Path folder;

    @TempDir
    Path dataDir;

    private SourceConnector connector(String name) {
        return Connectors.create(new ConnectorSettings(name, ConnectorType.folder, folder.toString(), null, null,
                Duration.ofHours(1), "folder-" + name, true), ingest, dataDir, registry);
    }

    private double chunksEmbedded() {
        return registry.counter("edgerag.ingest.chunks").count();
    }

    @Test
    void should_follow_added_modified_renamed_and_deleted_files() throws Exception {
        Files.createDirectories(folder.resolve("birds"));
        Files.writeString(folder.resolve("birds/penguins.md"), "# Penguins\nEmperor penguins breed in the Antarctic winter.");
        Files.writeString(folder.resolve("otters.txt"), "Sea otters hold hands while they sleep on the water.");
        Files.writeString(folder.resolve("photo.bin"), "not a document type");
        SourceConnector connector = connector("life");

        RunReport first = connector.sync();
        assertThat(first.seen()).as("photo.bin is not included").isEqualTo(2);
        assertThat(first.upserts()).isEqualTo(2);
        given().get("/api/documents/birds-penguins.md").then().statusCode(200);
        assertThat(given().get("/api/documents/birds-penguins.md").path("source").toString()).isEqualTo("birds/penguins.md");
        assertThat(given().get("/api/documents/otters.txt").path("collection").toString()).isEqualTo("folder-life");
        assertThat(searchDocIds("Emperor penguins breed Antarctic winter", "folder-life")).contains("birds-penguins.md");

        double embedded = chunksEmbedded();
        Files.setLastModifiedTime(folder.resolve("otters.txt"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        RunReport idle = connector.sync();
        assertThat(List.of(idle.upserts(), idle.deletes(), idle.failures())).containsOnly(0);
        assertThat(chunksEmbedded()).as("a touched but unchanged file is not embedded again").isEqualTo(embedded);

        Files.writeString(folder.resolve("birds/penguins.md"), "# Penguins\nAdelie penguins build nests from pebbles.");
        RunReport modified = connector.sync();
        assertThat(modified.upserts()).isEqualTo(1);
        assertThat(searchTexts("penguins build nests from pebbles", "folder-life")).anyMatch(t -> t.contains("Adelie"))
                .noneMatch(t -> t.contains("Emperor"));

        Files.createDirectories(folder.resolve("seabirds"));
        Files.move(folder.resolve("birds/penguins.md"), folder.resolve("seabirds/penguins.md"));
        RunReport renamed = connector.sync();
        assertThat(renamed.upserts()).isEqualTo(1);
        assertThat(renamed.deletes()).isEqualTo(1);
        given().get("/api/documents/birds-penguins.md").then().statusCode(404);
        given().get("/api/documents/seabirds-penguins.md").then().statusCode(200);

        Files.delete(folder.resolve("otters.txt"));
        RunReport deleted = connector.sync();
        assertThat(deleted.deletes()).isEqualTo(1);
        given().get("/api/documents/otters.txt").then().statusCode(404);
        assertThat(searchDocIds("sea otters hold hands", "folder-life")).doesNotContain("otters.txt");

        ConnectorStatus status = connector.progress().status();
        assertThat(status.upserts()).isEqualTo(4);
        assertThat(status.deletes()).isEqualTo(2);
        assertThat(registry.counter("edgerag.connector.changes", "connector", "life", "kind", "delete").count()).isEqualTo(2);
    }

    @Test
    void should_apply_what_changed_while_down_and_embed_nothing_twice() throws Exception {
        Files.writeString(folder.resolve("a.txt"), "Alpacas hum to each other in the Andes.");
        Files.writeString(folder.resolve("b.txt"), "Bison roam the prairie in large herds.");
        Files.writeString(folder.resolve("c.txt"), "Capybaras are the largest rodents alive.");
        assertThat(connector("restart").sync().upserts()).isEqualTo(3);

        // down: one file deleted, one modified, one added
        Files.delete(folder.resolve("a.txt"));
        Files.writeString(folder.resolve("b.txt"), "Bison were nearly hunted out by 1890.");
        Files.writeString(folder.resolve("d.txt"), "Dingoes live across mainland Australia.");

        RunReport afterRestart = connector("restart").sync();
        assertThat(afterRestart.upserts()).as("b modified, d added").isEqualTo(2);
        assertThat(afterRestart.deletes()).as("a deleted while down").isEqualTo(1);
        given().get("/api/documents/a.txt").then().statusCode(404);
        given().get("/api/documents/d.txt").then().statusCode(200);

        double embedded = chunksEmbedded();
        Files.delete(dataDir.resolve("connectors/restart/folder-state.json"));
        RunReport stateLost = connector("restart").sync();
        assertThat(stateLost.unchanged()).as("the store's content hash says nothing changed").isEqualTo(3);
        assertThat(stateLost.upserts()).isZero();
        assertThat(chunksEmbedded()).isEqualTo(embedded);
    }

    @Test
    void should_count_a_file_without_text_as_failed_and_go_on() throws Exception {
        Files.writeString(folder.resolve("empty.md"), "   \n");
        Files.writeString(folder.resolve("good.md"), "Geckos climb glass with millions of tiny hairs.");
        SourceConnector connector = connector("rejects");

        RunReport report = connector.sync();
        assertThat(report.failures()).isEqualTo(1);
        assertThat(report.upserts()).isEqualTo(1);
        assertThat(connector.progress().status().lastError()).startsWith("empty.md: ").contains("no text");
        assertThat(connector.sync().failures()).as("an unchanged rejected file is not retried").isZero();

        Files.writeString(folder.resolve("empty.md"), "Now it has text about emus.");
        assertThat(connector.sync().upserts()).as("retried once it changed").isEqualTo(1);
    }

    @Test
    void should_pick_up_a_change_through_the_watch_before_the_next_poll() throws Exception {
        try (ConnectorRunner runner = new ConnectorRunner(connector("watched"))) {
            runner.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> runner.connector().progress().status().runs() >= 1
                    && "idle".equals(runner.connector().progress().status().state()));
            Files.writeString(folder.resolve("new.txt"), "Narwhals have a tusk that is a long tooth.");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/api/documents/new.txt").statusCode() == 200);
            Files.delete(folder.resolve("new.txt"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/api/documents/new.txt").statusCode() == 404);
        }
    }

    static List<String> searchDocIds(String query, String collection) {
        return given().contentType(ContentType.JSON).body(Map.of("query", query, "k", 10, "collection", collection))
                .post("/api/search").then().statusCode(200).extract().jsonPath().getList("results.docId", String.class);
    }

    static List<String> searchTexts(String query, String collection) {
        return given().contentType(ContentType.JSON).body(Map.of("query", query, "k", 10, "collection", collection))
                .post("/api/search").then().statusCode(200).extract().jsonPath().getList("results.text", String.class);
    }
}
