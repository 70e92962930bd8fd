package io.edgerag.ingest.connector;

import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Connectors from configuration ({@code edgerag.connectors.*}): they start with the appliance, list in
 * {@code GET /api/connectors} and {@code /api/status}, run on demand through
 * {@code POST /api/admin/connectors/{name}/sync} and count in {@code edgerag_connector_changes_total}.
 */
@QuarkusTest
@TestProfile(ConnectorsApiTest.WithConnectors.class)
@QuarkusTestResource(OllamaStandInResource.class)
class ConnectorsApiTest {

    static final Path FOLDER = tempDir("edgerag-connector-folder");
    static final Path ORIGIN = tempDir("edgerag-connector-origin");

    public static class WithConnectors implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("edgerag.connectors.handbook.type", "folder"),
                    Map.entry("edgerag.connectors.handbook.path", FOLDER.toString()),
                    Map.entry("edgerag.connectors.handbook.collection", "handbook"),
                    Map.entry("edgerag.connectors.handbook.poll-interval", "1h"),
                    Map.entry("edgerag.connectors.docs.type", "git"),
                    Map.entry("edgerag.connectors.docs.uri", ORIGIN.toString()),
                    Map.entry("edgerag.connectors.docs.branch", "main"),
                    Map.entry("edgerag.connectors.docs.include", "docs/**"),
                    Map.entry("edgerag.connectors.docs.poll-interval", "1h"),
                    Map.entry("edgerag.connectors.paused.type", "folder"),
                    Map.entry("edgerag.connectors.paused.path", FOLDER.toString()),
                    Map.entry("edgerag.connectors.paused.enabled", "false"));
        }
    }

    @Test
    void should_list_run_on_demand_and_report_connectors() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/connectors").jsonPath()
                .getList("findAll { it.runs >= 1 && it.state != 'running' }.name", String.class).size() == 2);
        var list = given().get("/api/connectors").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("name", String.class)).containsExactly("docs", "handbook", "paused");
        assertThat(list.getList("type", String.class)).containsExactly("git", "folder", "folder");
        assertThat(list.getString("find { it.name == 'paused' }.state")).isEqualTo("disabled");
        assertThat(list.getString("find { it.name == 'handbook' }.state")).isEqualTo("idle");
        assertThat(list.getString("find { it.name == 'docs' }.state")).as("no repository at the URI yet").isEqualTo("failed");
        assertThat(list.getString("find { it.name == 'docs' }.lastCommit")).isNull();
        given().post("/api/admin/connectors/docs/sync").then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("Connector run failed"));

        Files.writeString(FOLDER.resolve("leave.md"), "Annual leave is 25 days, booked in the HR portal.");
        given().post("/api/admin/connectors/handbook/sync").then().statusCode(200).body("connector", equalTo("handbook"));
        assertThat(given().get("/api/documents/leave.md").then().statusCode(200).extract().path("collection").toString())
                .isEqualTo("handbook");

        RevCommit commit;
        try (Git git = Git.init().setDirectory(ORIGIN.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(ORIGIN.resolve("docs"));
            Files.writeString(ORIGIN.resolve("docs/vpn.md"), "Connect to the VPN before opening the wiki.");
            Files.writeString(ORIGIN.resolve("README.md"), "Not under docs/: not included.");
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("vpn").setAuthor("d", "d@example.org").setCommitter("d", "d@example.org")
                    .setSign(false).call();
        }
        given().post("/api/admin/connectors/docs/sync").then().statusCode(200)
                .body("commit", equalTo(commit.name())).body("upserts", equalTo(1));
        given().get("/api/documents/docs-vpn.md").then().statusCode(200);
        given().get("/api/documents/README.md").then().statusCode(404);

        var docs = given().get("/api/connectors").jsonPath();
        assertThat(docs.getString("find { it.name == 'docs' }.lastCommit")).isEqualTo(commit.name());
        assertThat(docs.getString("find { it.name == 'docs' }.state")).isEqualTo("idle");
        assertThat(docs.getString("find { it.name == 'docs' }.lastError")).as("kept from the failed runs").isNotBlank();
        assertThat(docs.getLong("find { it.name == 'handbook' }.upserts")).isGreaterThanOrEqualTo(1);

        List<String> onStatus = given().get("/api/status").then().statusCode(200).extract().jsonPath()
                .getList("connectors.name", String.class);
        assertThat(onStatus).containsExactly("docs", "handbook", "paused");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("edgerag_connector_changes_total\\{connector=\"docs\",kind=\"upsert\"[^}]*} 1\\.0");
    }

    @Test
    void should_answer_problems_for_unknown_and_disabled_connectors() {
        given().post("/api/admin/connectors/nope/sync").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("configured: docs, handbook, paused"));
        given().post("/api/admin/connectors/paused/sync").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("edgerag.connectors.paused.enabled=true"));
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
