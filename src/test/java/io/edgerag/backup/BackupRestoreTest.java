package io.edgerag.backup;

import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.ChunkHit;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.SearchRequest;
import io.edgerag.store.local.StoreConfig;
import io.edgerag.store.local.faiss.FaissLocalStore;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A backup taken through the admin API while the appliance runs, restored onto an empty data directory:
 * the restored store (its indexes rebuilt from the backup) answers every query exactly as the running
 * node does — same chunks, same scores — and keeps the documents' versions. A damaged backup or a
 * non-empty target is refused before anything is copied.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class BackupRestoreTest {

    static final List<String> QUERIES = List.of("lighthouse beam at night", "kiwi eggs", "tidal energy");

    @Inject
    LocalStore live;
    @Inject
    Embedder embedder;

    @Test
    void should_restore_a_backup_onto_an_empty_node_with_identical_search_results(@TempDir Path empty) {
        ingest("bk-light", "Lighthouses guide ships at night with a rotating beam of light.");
        ingest("bk-kiwi", "Kiwi birds lay very large eggs for their body size.");
        ingest("bk-tide", "Tidal power turns the energy of tides into electricity.");
        given().delete("/api/documents/bk-tide").then().statusCode(204);

        Response created = given().post("/api/admin/backups");
        assertThat(created.statusCode()).isEqualTo(201);
        String name = created.path("name");
        assertThat(created.<Integer>path("chunks")).isGreaterThanOrEqualTo(2);
        assertThat(given().get("/api/admin/backups").<List<String>>path("name")).contains(name);

        Path backup = backupDir(name);
        Backups.restore(backup, empty);
        try (DurableVectorStore restored = FaissLocalStore.open(StoreConfig.builder(empty.resolve("store"),
                embedder.dimension()).build())) {
            assertThat(restored.chunkCount()).isEqualTo(live.chunkCount());
            for (String q : QUERIES) {
                float[] v = embedder.embedQuery(q);
                assertThat(hits(restored, v)).as(q).isEqualTo(hits(live, v));
            }
            assertThat(restored.get("bk-kiwi")).isEqualTo(live.get("bk-kiwi"));
            assertThat(restored.get("bk-tide")).as("deleted before the backup: stays deleted").isEmpty();
        }
    }

    @Test
    void should_refuse_a_damaged_backup_or_a_node_that_already_has_a_store(@TempDir Path target) throws Exception {
        ingest("bk-other", "Windmills grind grain with the force of the wind.");
        String name = given().post("/api/admin/backups").then().statusCode(201).extract().path("name");
        Path backup = backupDir(name);

        Backups.restore(backup, target);
        assertThatThrownBy(() -> Backups.restore(backup, target)).hasMessageContaining("already holds a store");

        Path db = backup.resolve("store").resolve("store.db");
        Files.write(db, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> Backups.restore(backup, target.resolve("elsewhere")))
                .hasMessageContaining("damaged").hasMessageContaining("store/store.db");
        assertThat(target.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void should_answer_404_for_the_bucket_listing_when_no_bucket_is_configured() {
        given().get("/api/admin/backups/s3").then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.containsString("edgerag.backup.s3.bucket"));
    }

    static Path backupDir(String name) {
        String dir = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("edgerag.backup.dir", String.class);
        return Path.of(dir).resolve(name);
    }

    static List<String> hits(LocalStore store, float[] vector) {
        return store.search(vector, new SearchRequest(10, -1.0, io.edgerag.store.local.SearchFilter.NONE)).stream()
                .map(h -> h.chunkId() + "@" + h.score()).toList();
    }

    static void ingest(String id, String text) {
        given().contentType(ContentType.JSON).body(Map.of("id", id, "title", id, "text", text))
                .post("/api/documents").then().statusCode(201);
    }
}
