package io.edgerag.security;

import io.edgerag.common.Sha256;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-caller token bucket: a caller over its rate gets 429 problem+json with Retry-After, another
 * caller is not affected, a chat costs more than a search, health is never limited. The bucket refills one
 * token every 100 s, so a slow machine cannot refill it between two calls of a test.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallBuckets.class)
@QuarkusTestResource(OllamaStandInResource.class)
class RateLimitTest {

    static final String BUSY = "busy-key-1";
    static final String CALM = "calm-key-2";
    static final String CHATTY = "chatty-key-3";

    public static class SmallBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "edgerag.security.rate-limit.enabled", "true",
                    "edgerag.security.rate-limit.requests-per-second", "0.01",
                    "edgerag.security.rate-limit.burst", "3",
                    "edgerag.security.rate-limit.chat-cost", "2",
                    "edgerag.access.api-keys.busy.sha256", Sha256.hex(BUSY),
                    "edgerag.access.api-keys.busy.roles", "reader",
                    "edgerag.access.api-keys.calm.sha256", Sha256.hex(CALM),
                    "edgerag.access.api-keys.calm.roles", "reader,admin",
                    "edgerag.access.api-keys.chatty.sha256", Sha256.hex(CHATTY),
                    "edgerag.access.api-keys.chatty.roles", "reader");
        }
    }

    private static Response search(String key) {
        return given().header("X-API-Key", key).contentType(ContentType.JSON).body(Map.of("query", "anything"))
                .post("/api/search");
    }

    @Test
    void should_answer_429_with_retry_after_past_the_burst_and_leave_other_callers_alone() {
        for (int i = 0; i < 3; i++) {
            assertThat(search(BUSY).statusCode()).as("call %d within the burst of 3", i + 1).isEqualTo(200);
        }
        Response limited = search(BUSY);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 100L);
        assertThat(limited.jsonPath().getString("detail")).contains("'busy'").contains("rate limit")
                .contains("edgerag.security.rate-limit");

        // health is never limited, and another key has a bucket of its own
        for (int i = 0; i < 5; i++) {
            assertThat(given().header("X-API-Key", BUSY).get("/q/health/live").statusCode()).isEqualTo(200);
        }
        assertThat(search(CALM).statusCode()).isEqualTo(200);
        String metrics = given().header("X-API-Key", CALM).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("edgerag_rate_limited_total\\{caller=\"busy\"[^}]*} [1-9]");
        assertThat(metrics).doesNotContain("edgerag_rate_limited_total{caller=\"calm\"");
    }

    @Test
    void should_charge_a_chat_more_than_a_search() {
        // burst 3, a chat costs 2: one chat, then a second chat does not fit while a search still does
        given().header("X-API-Key", CHATTY).contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "What do owls eat?")).post("/api/chat").then().statusCode(200);
        Response second = given().header("X-API-Key", CHATTY).contentType(ContentType.JSON).accept("text/event-stream")
                .body(Map.of("question", "And at night?")).post("/api/chat");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.jsonPath().getString("detail")).contains("a chat costs 2");
        assertThat(search(CHATTY).statusCode()).isEqualTo(200);
        assertThat(search(CHATTY).statusCode()).isEqualTo(429);
    }
}
