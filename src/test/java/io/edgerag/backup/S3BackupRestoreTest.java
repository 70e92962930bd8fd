package io.edgerag.backup;

import io.edgerag.backup.s3.S3Clients;
import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.StoreConfig;
import io.edgerag.store.local.faiss.FaissLocalStore;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.s3.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.edgerag.backup.BackupRestoreTest.QUERIES;
import static io.edgerag.backup.BackupRestoreTest.hits;
import static io.edgerag.backup.BackupRestoreTest.ingest;
import static io.restassured.RestAssured.given;
import static io.edgerag.support.s3.S3ProxyResource.BUCKET;
import static io.edgerag.support.s3.S3ProxyResource.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backups uploaded to a real S3-compatible server (S3Proxy, a process of its own, see {@code S3ProxyResource})
 * and restored from {@code s3://} onto an empty data directory: the objects are in the bucket, the restored
 * store answers every query exactly as the running node does, a damaged object is refused, an upload without
 * its manifest is neither listed nor restorable, scheduled backups upload and prune the bucket too, and the
 * restore CLI finds the bucket with the settings an operator gives it (and warns about a reused node id); a
 * failed upload is a 502 problem that names the local backup kept.
 */
@QuarkusTest
@TestProfile(S3BackupRestoreTest.KeepTwo.class)
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3BackupRestoreTest {

    public static class KeepTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgerag.backup.keep", "2");
        }
    }

    @Inject
    LocalStore live;
    @Inject
    Embedder embedder;
    @Inject
    BackupConfig config;
    @Inject
    Backups backups;

    @Test
    void should_upload_a_backup_and_restore_it_from_s3_with_identical_search_results(@TempDir Path empty) throws Exception {
        ingest("s3-light", "Lighthouses guide ships at night with a rotating beam of light.");
        ingest("s3-kiwi", "Kiwi birds lay very large eggs for their body size.");
        ingest("s3-tide", "Tidal power turns the energy of tides into electricity.");
        given().delete("/api/documents/s3-tide").then().statusCode(204);

        Response created = given().post("/api/admin/backups");
        assertThat(created.statusCode()).isEqualTo(201);
        String name = created.path("name");
        assertThat(keys(PREFIX + "/" + name + "/")).containsExactlyInAnyOrder(
                PREFIX + "/" + name + "/manifest.json", PREFIX + "/" + name + "/store/store.db");
        assertThat(given().get("/api/admin/backups/s3").<List<String>>path("name")).contains(name);

        // the local copy gone (the disk died with the node): the restore can only come from the bucket
        deleteTree(BackupRestoreTest.backupDir(name));
        Path dataDir = empty.resolve("data");
        Backups.restore("s3://" + BUCKET + "/" + PREFIX + "/" + name, dataDir, config.s3());

        try (DurableVectorStore restored = FaissLocalStore.open(StoreConfig.builder(dataDir.resolve("store"),
                embedder.dimension()).build())) {
            assertThat(restored.chunkCount()).isEqualTo(live.chunkCount());
            for (String q : QUERIES) {
                float[] v = embedder.embedQuery(q);
                assertThat(hits(restored, v)).as(q).isEqualTo(hits(live, v));
            }
            assertThat(restored.get("s3-kiwi")).isEqualTo(live.get("s3-kiwi"));
            assertThat(restored.get("s3-tide")).as("deleted before the backup: stays deleted").isEmpty();
        }
        assertThat(leftovers(empty)).as("the download is deleted after the restore").isEmpty();
    }

    @Test
    void should_refuse_a_backup_whose_object_was_damaged_in_the_bucket(@TempDir Path empty) throws Exception {
        ingest("s3-wind", "Windmills grind grain with the force of the wind.");
        String name = given().post("/api/admin/backups").then().statusCode(201).extract().path("name");
        try (S3Client s3 = S3Clients.create(config.s3())) {
            s3.putObject(p -> p.bucket(BUCKET).key(PREFIX + "/" + name + "/store/store.db"),
                    RequestBody.fromBytes("not the database that was backed up".getBytes()));
        }

        Path dataDir = empty.resolve("data");
        assertThatThrownBy(() -> Backups.restore("s3://" + BUCKET + "/" + PREFIX + "/" + name, dataDir, config.s3()))
                .hasMessageContaining("damaged").hasMessageContaining("store/store.db does not match its checksum");
        assertThat(dataDir.resolve("store")).doesNotExist();
        assertThat(leftovers(empty)).isEmpty();
    }

    @Test
    void should_neither_list_nor_restore_a_backup_whose_upload_broke_off_before_its_manifest(@TempDir Path empty) {
        String name = "edgerag-20990101T000000000Z";
        try (S3Client s3 = S3Clients.create(config.s3())) {
            s3.putObject(p -> p.bucket(BUCKET).key(PREFIX + "/" + name + "/store/store.db"),
                    RequestBody.fromBytes(new byte[] {1, 2, 3}));
        }
        assertThat(backups.listInBucket().orElseThrow()).extracting(BackupManifest::name).doesNotContain(name);
        assertThatThrownBy(() -> Backups.restore("s3://" + BUCKET + "/" + PREFIX + "/" + name, empty.resolve("data"),
                config.s3())).hasMessageContaining("no manifest.json");
    }

    @Test
    void should_upload_scheduled_backups_and_keep_only_the_newest_there_too() {
        ingest("s3-sched", "Beekeepers smoke the hive to calm the bees.");
        backups.scheduled();
        backups.scheduled();
        backups.scheduled();

        List<String> local = backups.list().stream().map(BackupManifest::name).toList();
        List<String> inBucket = backups.listInBucket().orElseThrow().stream().map(BackupManifest::name).toList();
        assertThat(inBucket).hasSize(2).isEqualTo(local);
        List<String> manifests = keys(PREFIX + "/").stream().filter(k -> k.endsWith("/manifest.json")).toList();
        assertThat(manifests).as("older backups deleted from the bucket")
                .containsExactlyInAnyOrderElementsOf(inBucket.stream().map(n -> PREFIX + "/" + n + "/manifest.json").toList());
    }

    @Test
    void should_restore_from_s3_with_the_cli_reading_its_settings_like_the_appliance(@TempDir Path empty) {
        ingest("s3-cli", "Glaciers carve valleys over thousands of years.");
        BackupManifest backup = backups.create();
        Map<String, String> operator = Map.of(
                "edgerag.backup.s3.endpoint", config.s3().endpoint().orElseThrow().toString(),
                "edgerag.backup.s3.access-key-id", config.s3().accessKeyId().orElseThrow(),
                "edgerag.backup.s3.secret-access-key", config.s3().secretAccessKey().orElseThrow(),
                "edgerag.sync.node-id", backup.node());
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit;
        operator.forEach(System::setProperty);
        try {
            exit = RestoreCommand.run(new String[] {"restore", "s3://" + BUCKET + "/" + PREFIX + "/" + backup.name(),
                    empty.resolve("data").toString()}, new java.io.PrintStream(err, true));
        } finally {
            operator.keySet().forEach(System::clearProperty);
        }
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).contains("restored " + backup.name())
                .contains("WARNING: edgerag.sync.node-id is " + backup.node())
                .doesNotContain(config.s3().secretAccessKey().orElseThrow());
        assertThat(empty.resolve("data/store/store.db")).exists();
    }

    @Test
    void should_answer_502_and_keep_the_local_backup_when_the_upload_fails() {
        try (S3Client s3 = S3Clients.create(config.s3())) {
            keys("").forEach(k -> s3.deleteObject(d -> d.bucket(BUCKET).key(k)));
            s3.deleteBucket(d -> d.bucket(BUCKET));
            try {
                Response r = given().post("/api/admin/backups");
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
                assertThat(r.contentType()).startsWith("application/problem+json");
                String newest = backups.list().get(0).name();
                assertThat(r.<String>path("detail")).contains("backup " + newest + " is written in")
                        .contains("upload to s3://" + BUCKET + "/" + PREFIX + " failed")
                        .doesNotContain(config.s3().secretAccessKey().orElseThrow());
                assertThat(BackupRestoreTest.backupDir(newest).resolve("manifest.json")).exists();
            } finally {
                s3.createBucket(c -> c.bucket(BUCKET));
            }
        }
    }

    private List<String> keys(String prefix) {
        try (S3Client s3 = S3Clients.create(config.s3())) {
            return s3.listObjectsV2Paginator(l -> l.bucket(BUCKET).prefix(prefix)).contents().stream()
                    .map(S3Object::key).toList();
        }
    }

    private static List<Path> leftovers(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("restore-download-")).toList();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
