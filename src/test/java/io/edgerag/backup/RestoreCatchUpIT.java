package io.edgerag.backup;

import io.edgerag.support.app.ApplianceProcess;
import io.edgerag.support.kafka.KafkaBrokerProcess;
import io.edgerag.support.s3.S3ProxyProcess;
import io.edgerag.support.s3.S3ProxyResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9's "restore onto an empty node, which then catches up from the change log", end to end with real parts:
 * a Kafka broker, an S3-compatible server (S3Proxy) and two packaged appliances, each a process of its own.
 * Node b is backed up to the bucket while in sync with a; then a writes, updates and deletes, b writes once more,
 * and b is stopped. The operator restores b's backup with the CLI from {@code s3://} into an empty data directory
 * and starts b from it: it has a new node id, gets everything that happened after the backup from the change log
 * (its own last write included), and answers searches exactly as a does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreCatchUpIT {

    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final String BUCKET = "fleet-backups";
    private static final String PREFIX = "edge-b";
    private static final List<String> QUERIES = List.of("flightless bird of New Zealand", "lighthouse beam for ships",
            "energy from the tides", "grinding grain with wind", "bees in a hive");

    private Path root;
    private KafkaBrokerProcess broker;
    private S3ProxyProcess s3;
    private ApplianceProcess a;
    private ApplianceProcess b;
    private ApplianceProcess restored;

    @BeforeAll
    void start() throws Exception {
        root = Files.createDirectories(Path.of("target", "it-restore")).resolve("run-" + System.currentTimeMillis());
        broker = new KafkaBrokerProcess(root.resolve("kafka")).start();
        s3 = S3ProxyProcess.start();
        try (S3Client client = S3ProxyResource.client(s3)) {
            client.createBucket(c -> c.bucket(BUCKET));
        }
        // a has a configured id; b makes one up and keeps it in <data-dir>/node-id, as a fresh edge box does
        a = node("a", root.resolve("node-a")).with("edgerag.sync.node-id", "a").start();
        b = node("b", root.resolve("node-b")).start();
    }

    @AfterAll
    void stop() throws Exception {
        for (ApplianceProcess n : new ApplianceProcess[] {a, b, restored}) {
            if (n != null) {
                n.stop();
            }
        }
        if (s3 != null) {
            s3.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void a_node_restored_from_an_s3_backup_catches_up_from_the_change_log() throws Exception {
        put(a, "kiwi", "The kiwi is a flightless bird that lives only in New Zealand.");
        put(a, "lighthouse", "Lighthouses guide ships at night with a rotating beam of light.");
        put(a, "tides", "Tidal power turns the energy of tides into electricity.");
        awaitSameDocuments(b, a, "kiwi", "lighthouse", "tides");

        Response backup = b.http().post("/api/admin/backups");
        assertThat(backup.statusCode()).as(backup.asString()).isEqualTo(201);
        String name = backup.path("name");
        assertThat(b.http().get("/api/admin/backups/s3").then().statusCode(200).extract().<List<String>>path("name"))
                .contains(name);

        // after the backup: an update, a delete and a new document on a; a last write on b itself
        put(a, "lighthouse", "Lighthouses once burned whale oil; today an LED beam guides ships at night.");
        a.http().delete("/api/documents/tides").then().statusCode(204);
        put(a, "windmill", "Windmills grind grain with the force of the wind.");
        put(b, "bees", "Beekeepers smoke the hive to calm the bees.");
        awaitSameDocuments(b, a, "lighthouse", "windmill");
        awaitSameDocuments(a, b, "bees");
        await().atMost(CONVERGE).untilAsserted(() -> b.http().get("/api/documents/tides").then().statusCode(404));
        String oldId = Files.readString(root.resolve("node-b").resolve("node-id")).strip();
        b.stop();

        // the operator: b's disk is gone; restore its backup from the bucket into an empty data dir
        Path freshDir = root.resolve("node-b-restored");
        ProcessBuilder restore = new ProcessBuilder(restoreCommand("s3://" + BUCKET + "/" + PREFIX + "/" + name, freshDir))
                .redirectErrorStream(true).redirectOutput(root.resolve("restore-cli.log").toFile());
        restore.environment().putAll(Map.of("EDGERAG_BACKUP_S3_ENDPOINT", s3.endpoint().toString(),
                "EDGERAG_BACKUP_S3_ACCESS_KEY_ID", S3ProxyProcess.ACCESS_KEY,
                "EDGERAG_BACKUP_S3_SECRET_ACCESS_KEY", S3ProxyProcess.SECRET_KEY));
        Process cli = restore.start();
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(root.resolve("restore-cli.log"));
        assertThat(cli.exitValue()).as(output).isZero();
        assertThat(output).contains("restored " + name);
        assertThat(freshDir.resolve("store/store.db")).exists();
        assertThat(freshDir.resolve("node-id")).as("the node id is not part of a backup").doesNotExist();

        restored = node("b-restored", freshDir).start();
        String newId = Files.readString(freshDir.resolve("node-id")).strip();
        assertThat(newId).as("a restored node never reuses the old id").isNotEqualTo(oldId);

        // what happened after the backup arrives from the change log, b's own last write included
        awaitSameDocuments(restored, a, "kiwi", "lighthouse", "windmill", "bees");
        await().atMost(CONVERGE).untilAsserted(() -> restored.http().get("/api/documents/tides").then().statusCode(404));
        assertThat(versionOf(restored.http().get("/api/documents/bees")).get("nodeId")).isEqualTo(oldId);
        assertThat(syncEvents(restored, "duplicate")).as("the change log is re-read from its start, not from the "
                + "backup's instant: what the backup held arrives again and is skipped").isGreaterThanOrEqualTo(1.0);
        assertThat(restored.http().contentType(ContentType.JSON).body(Map.of("query", "whale oil", "k", 1, "mode", "vector"))
                .post("/api/search").<String>path("results[0].text")).as("the update made after the backup").contains("whale oil");

        for (String q : QUERIES) {
            for (String mode : List.of("vector", "hybrid")) {
                await().atMost(CONVERGE).untilAsserted(() ->
                        assertThat(results(restored, q, mode)).as("%s (%s)", q, mode).isNotEmpty()
                                .isEqualTo(results(a, q, mode)));
            }
        }

        // and it takes part in sync under its new id
        Map<String, Object> written = put(restored, "otters", "Sea otters hold hands while they sleep.");
        assertThat(written.get("nodeId")).isEqualTo(newId);
        awaitSameDocuments(a, restored, "otters");
    }

    private ApplianceProcess node(String name, Path dataDir) throws Exception {
        return new ApplianceProcess(name, dataDir)
                .with("edgerag.sync.enabled", "true")
                .with("kafka.bootstrap.servers", broker.bootstrapServers())
                .with("edgerag.embedding.model", "all-minilm-l6-v2")
                .with("edgerag.ingest.sample-corpus-on-first-run", "false")
                .with("edgerag.ollama.base-url", "http://127.0.0.1:9")
                .with("edgerag.backup.dir", dataDir.toAbsolutePath() + "-backups")
                .with("edgerag.backup.s3.endpoint", s3.endpoint().toString())
                .with("edgerag.backup.s3.bucket", BUCKET)
                .with("edgerag.backup.s3.prefix", PREFIX)
                .with("edgerag.backup.s3.access-key-id", S3ProxyProcess.ACCESS_KEY)
                .with("edgerag.backup.s3.secret-access-key", S3ProxyProcess.SECRET_KEY);
    }

    /** {@code java -jar edgerag.jar restore s3://... <data-dir>}; the endpoint and keys come from the environment. */
    private static List<String> restoreCommand(String source, Path dataDir) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("edgerag.app.jar", "target/quarkus-app/quarkus-run.jar"))
                        .toAbsolutePath().toString(), "restore", source, dataDir.toAbsolutePath().toString());
    }

    private Map<String, Object> put(ApplianceProcess n, String id, String text) {
        Response r = n.http().contentType(ContentType.JSON).body(Map.of("id", id, "title", id, "text", text))
                .post("/api/documents");
        assertThat(r.statusCode()).as("POST %s on %s: %s", id, n.name(), r.asString()).isEqualTo(201);
        return versionOf(r);
    }

    /** Waits until {@code n} holds every one of {@code ids} at the version {@code reference} holds. */
    private static void awaitSameDocuments(ApplianceProcess n, ApplianceProcess reference, String... ids) {
        for (String id : ids) {
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(version(n, id)).as("%s on %s", id, n.name())
                    .isPresent().isEqualTo(version(reference, id)));
        }
    }

    private static Optional<Map<String, Object>> version(ApplianceProcess n, String id) {
        Response r = n.http().get("/api/documents/" + id);
        return r.statusCode() == 200 ? Optional.of(versionOf(r)) : Optional.empty();
    }

    private static Map<String, Object> versionOf(Response r) {
        return r.path("version");
    }

    /** {@code edgerag_sync_events_total{outcome=...}} of {@code n}. */
    private static double syncEvents(ApplianceProcess n, String outcome) {
        String prefix = "edgerag_sync_events_total{outcome=\"" + outcome + "\"";
        return n.http().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> results(ApplianceProcess n, String query, String mode) {
        Response r = n.http().contentType(ContentType.JSON).body(Map.of("query", query, "k", 5, "mode", mode))
                .post("/api/search");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<Map<String, Object>> results = r.path("results");
        return results.stream().map(p -> p.get("chunkId") + "@" + p.get("score")).toList();
    }
}
