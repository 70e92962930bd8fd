package io.edgerag.consistency;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code edgerag.consistency.unmet-status=504}: a level not met in time is a problem naming what is pending. */
@QuarkusTest
@TestProfile(ConsistencyUnmet504Test.Unmet504.class)
class ConsistencyUnmet504Test {

    public static class Unmet504 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a cloud wait that cannot succeed: the answer must say so, not downgrade to local
            return Map.of("edgerag.consistency.unmet-status", "504", "edgerag.consistency.cloud-timeout", "1ms");
        }
    }

    @Test
    void should_answer_504_problem_naming_the_pending_cloud_and_keep_the_write_durable_here() {
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("id", "c11-504", "text", "A write whose cloud level cannot be met.", "consistency", "cloud"))
                .post("/api/documents");

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.path("detail").toString()).contains("pending [cloud]").contains("durable on this edge");
        assertThat(r.header("Edgerag-Consistency-Token")).startsWith("v1.");
        given().get("/api/documents/c11-504").then().statusCode(200);
        Response local = given().contentType(ContentType.JSON)
                .body(Map.of("id", "c11-504-local", "text", "A local write is unaffected.")).post("/api/documents");
        assertThat(local.statusCode()).isEqualTo(201);
    }
}
