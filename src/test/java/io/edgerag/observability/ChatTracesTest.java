package io.edgerag.observability;

import io.edgerag.embedding.Embedder;
import io.edgerag.generation.OllamaGate;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.OllamaStandInServer;
import io.edgerag.support.Sse;
import io.edgerag.support.otel.InMemorySpans;
import io.edgerag.support.pinecone.PineconeStandInResource;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One chat over real HTTP, with the real Pinecone client against its loopback stand-in and the real
 * Ollama client against the Ollama stand-in, is one trace: the request's server span, and under it
 * {@code retrieve.local}, {@code retrieve.cloud} (asked, as local is not confident) and
 * {@code generate} with its token counts. The client sends a {@code traceparent}, so the trace id is
 * known up front and the server must continue it.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(PineconeStandInResource.class)
class ChatTracesTest {

    private static final String COLLECTION = "traced";

    @Inject
    InMemorySpanExporter spans;
    @Inject
    Embedder embedder;
    @Inject
    CloudVectorStore cloud;
    @Inject
    OllamaGate gate;

    private final PineconeStandInServer pinecone = PineconeStandInResource.standIn();

    @BeforeEach
    void localKnowsVolcanoesAndTheCloudKnowsTides() throws Exception {
        if (!pinecone.running()) {
            pinecone.start();
        }
        pinecone.resetFaultsAndCounts();
        OllamaStandInServer ollama = OllamaStandInServer.current();
        if (!ollama.running()) {
            ollama.start();
        }
        ollama.script(List.of("Tides", " follow", " the", " moon", " [1]", "."), 0);
        gate.reset();
        given().contentType(ContentType.JSON).body(Map.of("id", "volcano", "title", "Volcanoes", "collection", COLLECTION,
                        "text", "A volcano is an opening in the crust where molten rock escapes."))
                .post("/api/documents").then().statusCode(201);
        String tides = "Tides rise and fall twice a day because the moon's gravity pulls the oceans.";
        float[] vector = embedder.embedPassages(List.of("Tides\n" + tides)).get(0);
        cloud.upsert(COLLECTION, List.of(CloudRecord.chunk("tides#0", "tides", vector, tides, "h",
                "Tides", "sea.md", 1764000000000123456L, "cloud-node").with(io.edgerag.sync.cloud.CloudSink.EMBEDDING_MODEL, embedder.modelId())))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void should_trace_a_chat_as_http_then_local_then_cloud_retrieval_then_generation_with_token_counts() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String clientSpanId = "00f067aa0ba902b7";

        String body = given().contentType(ContentType.JSON).accept("text/event-stream")
                .header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
                .body(Map.of("question", "Why do the tides of the sea rise and fall?", "k", 3, "collection", COLLECTION))
                .post("/api/chat").then().statusCode(200).extract().asString();
        List<Sse.Event> events = Sse.parse(body);
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");

        await().atMost(Duration.ofSeconds(20)).until(() -> named(traceId, "generate").isPresent()
                && server(traceId).isPresent());
        SpanData server = server(traceId).orElseThrow();
        assertThat(server.getParentSpanId()).isEqualTo(clientSpanId);
        SpanData local = named(traceId, "retrieve.local").orElseThrow();
        SpanData cloudSpan = named(traceId, "retrieve.cloud").orElseThrow();
        SpanData generate = named(traceId, "generate").orElseThrow();
        assertThat(List.of(local, cloudSpan, generate)).allSatisfy(s ->
                assertThat(s.getParentSpanId()).as(s.getName()).isEqualTo(server.getSpanId()));
        assertThat(local.getEndEpochNanos()).isLessThanOrEqualTo(cloudSpan.getStartEpochNanos());
        assertThat(cloudSpan.getEndEpochNanos()).isLessThanOrEqualTo(generate.getStartEpochNanos());
        assertThat(local.getAttributes().get(AttributeKey.booleanKey("edgerag.retrieval.local_hit"))).isFalse();
        assertThat(cloudSpan.getAttributes().get(AttributeKey.stringKey("edgerag.cloud.status"))).isEqualTo("used");
        assertThat(generate.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(42L);
        assertThat(generate.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(6L);
        assertThat(generate.getAttributes().get(AttributeKey.booleanKey("edgerag.generation.degraded"))).isFalse();
        assertThat(generate.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                .isEqualTo(OllamaStandInServer.MODEL);
    }

    private Optional<SpanData> named(String traceId, String name) {
        return InMemorySpans.ofTrace(spans, traceId).stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private Optional<SpanData> server(String traceId) {
        return InMemorySpans.ofTrace(spans, traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/api/chat")).findFirst();
    }
}
