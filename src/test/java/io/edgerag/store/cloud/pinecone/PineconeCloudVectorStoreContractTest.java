package io.edgerag.store.cloud.pinecone;

import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudStoreException;
import io.edgerag.store.cloud.CloudStoreUnavailableException;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.cloud.CloudVectorStoreContractTest;
import io.edgerag.store.cloud.InvalidCloudRequestException;
import io.edgerag.support.pinecone.PineconeStandInServer;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract (inherited tests) for {@link PineconeCloudVectorStore} driven through the real
 * {@code pinecone-client} against {@link PineconeStandInServer}, a loopback stand-in for Pinecone's data
 * plane (Pinecone itself cannot run here), plus what only this adapter promises: retries, deadlines,
 * request limits, metadata limits, the API key.
 */
class PineconeCloudVectorStoreContractTest extends CloudVectorStoreContractTest {

    private static final String API_KEY = "pcsk_test_secret_do_not_log";
    private static PineconeStandInServer standIn;
    private static PineconeCloudVectorStore store;

    @BeforeAll
    static void startStandIn() throws Exception {
        standIn = new PineconeStandInServer(DIMENSION, API_KEY);
        standIn.start();
        store = new PineconeCloudVectorStore(PineconeSettings.defaults(standIn.host(), API_KEY, false)
                .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(200)));
    }

    @AfterAll
    static void stopStandIn() {
        store.close();
        standIn.stop();
    }

    @BeforeEach
    void resetFaults() {
        standIn.resetFaultsAndCounts();
    }

    @Override
    protected CloudVectorStore store() {
        return store;
    }

    @Test
    void should_answer_after_retrying_calls_that_failed_with_unavailable() {
        String c = freshCollection();
        await(store.upsert(c, List.of(chunk("r", 0, axis(1, 0), HLC))));
        standIn.resetFaultsAndCounts();
        standIn.failNext(2, Status.UNAVAILABLE);

        assertThat(await(store.query(c, axis(1, 0), 1, Map.of()))).extracting(m -> m.id()).containsExactly("r#0");
        assertThat(standIn.calls("Query")).isEqualTo(3);
    }

    @Test
    void should_retry_when_rate_limited() {
        String c = freshCollection();
        standIn.failNext(1, Status.RESOURCE_EXHAUSTED);

        await(store.upsert(c, List.of(chunk("rl", 0, axis(1, 0), HLC))));

        assertThat(standIn.calls("Upsert")).isEqualTo(2);
        assertThat(await(store.fetch(c, List.of("rl#0")))).hasSize(1);
    }

    @Test
    void should_give_up_as_unavailable_once_retries_are_spent() {
        standIn.failNext(100, Status.UNAVAILABLE);

        assertThatThrownBy(() -> await(store.stats(freshCollection())))
                .isInstanceOf(CloudStoreUnavailableException.class).hasMessageContaining("UNAVAILABLE");
        assertThat(standIn.calls("DescribeIndexStats")).isEqualTo(1 + 3);
    }

    @Test
    void should_not_retry_a_request_the_server_refused_as_invalid() {
        assertThatThrownBy(() -> await(store.upsert(freshCollection(),
                List.of(chunk("bad", 0, new float[]{1, 2}, HLC)))))
                .isInstanceOf(InvalidCloudRequestException.class);
        assertThat(standIn.calls("Upsert")).isEqualTo(1);
    }

    @Test
    void should_cancel_and_retry_an_attempt_past_its_deadline() {
        try (PineconeCloudVectorStore impatient = new PineconeCloudVectorStore(
                PineconeSettings.defaults(standIn.host(), API_KEY, false).withCallTimeout(Duration.ofMillis(100))
                        .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10)))) {
            standIn.latency(Duration.ofMillis(600));
            long start = System.nanoTime();

            assertThatThrownBy(() -> await(impatient.stats(freshCollection())))
                    .isInstanceOf(CloudStoreUnavailableException.class).hasMessageContaining("no answer within");

            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMs).isLessThan(550);
            assertThat(standIn.calls("DescribeIndexStats")).isEqualTo(2);
        }
    }

    @Test
    void should_split_upserts_into_requests_of_at_most_1000_vectors() {
        String c = freshCollection();
        List<CloudRecord> records = IntStream.range(0, 2500)
                .mapToObj(i -> chunk("split" + i, 0, axis(1 + i % 7, 0), HLC)).toList();

        await(store.upsert(c, records));

        assertThat(standIn.calls("Upsert")).isEqualTo(3);
    }

    @Test
    void should_split_upserts_that_would_exceed_2_mb() {
        String c = freshCollection();
        // ~30 KB of text each: 200 of them are ~6 MB, so at least 3 requests even though 200 < 1000
        String text = "x".repeat(30_000);
        List<CloudRecord> records = IntStream.range(0, 200)
                .mapToObj(i -> CloudRecord.chunk("big" + i + "#0", "big" + i, axis(1, 0), text, "h", "t", "s", HLC, "n"))
                .toList();

        await(store.upsert(c, records));

        assertThat(standIn.calls("Upsert")).isGreaterThanOrEqualTo(3);
        assertThat(await(store.stats(c)).recordCount()).isEqualTo(200);
    }

    @Test
    void should_cut_text_that_would_exceed_40_kb_of_metadata_and_keep_its_hash() {
        String c = freshCollection();
        String text = "é".repeat(50_000); // 100 KB in UTF-8
        await(store.upsert(c, List.of(CloudRecord.chunk("long#0", "long", axis(1, 0), text, null, "t", "s", HLC, "n"))));

        CloudRecord back = await(store.fetch(c, List.of("long#0"))).get(0);

        assertThat(back.metadata().get(CloudRecord.TEXT)).startsWith("éééé").endsWith(PineconeMetadata.TRUNCATION_MARKER)
                .hasSizeLessThan(text.length());
        assertThat(back.metadata()).containsEntry(CloudRecord.TEXT_TRUNCATED, "true")
                .containsEntry(CloudRecord.TEXT_HASH, PineconeMetadata.sha256(text))
                .containsEntry(CloudRecord.VERSION_HLC, Long.toString(HLC));
    }

    @Test
    void should_refuse_a_wrong_api_key_without_repeating_it() {
        String wrongKey = "pcsk_wrong_key_123";
        try (PineconeCloudVectorStore wrong = new PineconeCloudVectorStore(
                PineconeSettings.defaults(standIn.host(), wrongKey, false))) {
            assertThatThrownBy(() -> await(wrong.stats(freshCollection())))
                    .isInstanceOf(CloudStoreException.class).hasMessageContaining("API key")
                    .hasMessageNotContaining(wrongKey);
        }
    }

    @Test
    void should_never_print_the_api_key_in_its_settings() {
        PineconeSettings settings = PineconeSettings.defaults("host.example", API_KEY, true);

        assertThat(settings.toString()).doesNotContain(API_KEY).contains("apiKey=***");
    }
}
