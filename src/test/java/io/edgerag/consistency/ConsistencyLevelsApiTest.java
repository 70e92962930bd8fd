package io.edgerag.consistency;

import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.local.Version;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.pinecone.PineconeStandInResource;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Write and read consistency levels on one appliance (standalone sync, so no peers), with the real
 * Pinecone client against {@link PineconeStandInServer}. Two-node behaviour: {@code ConsistencyAcrossNodesIT}.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(PineconeStandInResource.class)
class ConsistencyLevelsApiTest {

    private static final String COLLECTION = "consistency";
    private static final String TEXT = "The lighthouse keeper lit the lamp at dusk so that ships could find the harbour.";

    @Inject
    CloudVectorStore cloud;

    private final PineconeStandInServer standIn = PineconeStandInResource.standIn();

    @BeforeEach
    void cloudUp() throws Exception {
        standIn.upAndClean();
    }

    private static Response write(String id, String consistency) {
        Map<String, Object> body = new HashMap<>(Map.of("id", id, "title", "Lighthouse", "collection", collection(id), "text", TEXT));
        if (consistency != null) {
            body.put("consistency", consistency);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/documents");
    }

    /** One collection per document: every test writes the same text. */
    private static String collection(String id) {
        return COLLECTION + "-" + id;
    }

    private static Response search(String id, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("query", "lighthouse keeper lit the lamp at dusk for ships",
                "collection", collection(id), "k", 3));
        body.putAll(extra);
        return given().contentType(ContentType.JSON).body(body).post("/api/search");
    }

    @Test
    void should_acknowledge_a_cloud_write_only_once_the_cloud_holds_that_version() {
        Response r = write("c11-cloud", "cloud");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.path("consistency.level").toString()).isEqualTo("cloud");
        assertThat((Boolean) r.path("consistency.met")).isTrue();
        assertThat(r.<List<String>>path("consistency.targets")).isEqualTo(List.of("cloud"));
        String hlc = r.path("version.hlc");
        List<CloudRecord> inCloud = cloud.fetch(collection("c11-cloud"), List.of("c11-cloud#0")).await().atMost(Duration.ofSeconds(10));
        assertThat(inCloud).hasSize(1);
        assertThat(inCloud.get(0).metadata()).containsEntry(CloudRecord.VERSION_HLC, hlc);
    }

    @Test
    void should_answer_202_with_the_cloud_pending_when_the_cloud_fails_and_keep_the_write_locally() {
        standIn.failNext(1000, Status.UNAVAILABLE);
        Response r;
        try {
            r = write("c11-cloud-down", "cloud");
        } finally {
            standIn.resetFaultsAndCounts();
        }

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat((Boolean) r.path("consistency.met")).isFalse();
        assertThat(r.<List<String>>path("consistency.pending")).isEqualTo(List.of("cloud"));
        assertThat(r.path("consistency.reason").toString()).isNotBlank();
        assertThat(r.header("Edgerag-Consistency-Token")).isEqualTo(r.path("consistencyToken"));
        given().get("/api/documents/c11-cloud-down").then().statusCode(200);
    }

    @Test
    void should_default_to_local_and_treat_all_without_known_peers_as_met_with_no_targets() {
        Response local = write("c11-local", null);
        Response all = write("c11-all", "all");

        assertThat(local.statusCode()).isEqualTo(201);
        assertThat(local.path("consistency.level").toString()).isEqualTo("local");
        assertThat(all.statusCode()).isEqualTo(201);
        assertThat(all.path("consistency.level").toString()).isEqualTo("all");
        assertThat(all.<List<String>>path("consistency.targets")).isEmpty();
    }

    @Test
    void should_merge_the_cloud_into_a_fresh_read_even_when_local_is_confident() {
        write("c11-fresh", null).then().statusCode(201);

        Response localRead = search("c11-fresh", Map.of());
        Response freshRead = search("c11-fresh", Map.of("consistency", "fresh"));
        for (int i = 0; i < 30 && "open".equals(freshRead.path("cloudStatus")); i++) { // a circuit another test opened
            sleep(200);
            freshRead = search("c11-fresh", Map.of("consistency", "fresh"));
        }

        assertThat(localRead.path("results[0].docId").toString()).isEqualTo("c11-fresh");
        assertThat(localRead.path("cloudStatus").toString()).isEqualTo("skipped");
        assertThat(freshRead.path("cloudStatus").toString()).isEqualTo("used");
        assertThat(freshRead.path("consistency.level").toString()).isEqualTo("fresh");
        assertThat(standIn.calls("Query")).isGreaterThanOrEqualTo(1);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void should_answer_a_token_of_an_applied_write_at_once() {
        String token = write("c11-token", null).path("consistencyToken");

        Response r = search("c11-token", Map.of("consistencyToken", token));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.path("consistency.token").toString()).isEqualTo("met");
        assertThat(r.path("results.docId").toString()).contains("c11-token");
    }

    @Test
    void should_fall_back_to_the_cloud_when_a_token_is_not_applied_here_within_the_wait() {
        String future = new ConsistencyToken("c11-elsewhere", new Version(Long.MAX_VALUE / 2, "another-edge")).encode();

        Response r = search("c11-elsewhere", Map.of("consistencyToken", future));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.path("consistency.token").toString()).isIn("cloud", "unmet");
        assertThat(r.path("cloudStatus").toString()).isNotIn("skipped", "disabled");
    }

    @Test
    void should_refuse_unknown_levels_and_foreign_tokens_with_400() {
        write("c11-bad", "strong").then().statusCode(400);
        search("c11-bad", Map.of("consistency", "cloud")).then().statusCode(400);
        search("c11-bad", Map.of("consistencyToken", "not-a-token")).then().statusCode(400);
        given().delete("/api/documents/c11-missing?consistency=everything").then().statusCode(400);
    }

    @Test
    void should_return_a_token_on_delete_that_a_read_sees_as_met() {
        write("c11-del", null).then().statusCode(201);

        Response del = given().delete("/api/documents/c11-del?consistency=local");

        assertThat(del.statusCode()).isEqualTo(204);
        String token = del.header("Edgerag-Consistency-Token");
        assertThat(token).startsWith("v1.");
        assertThat(search("c11-del", Map.of("consistencyToken", token)).path("consistency.token").toString()).isEqualTo("met");
    }
}
