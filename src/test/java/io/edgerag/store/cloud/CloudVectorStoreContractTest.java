package io.edgerag.store.cloud;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link CloudVectorStore} adapter must do (the port's javadoc), checked through the port
 * only. A subclass gives a store of {@link #DIMENSION} and may add checks of its own backend. Every test
 * writes to a collection of its own, so tests need no cleanup between them.
 */
public abstract class CloudVectorStoreContractTest {

    protected static final int DIMENSION = 8;
    /** A version whose HLC a double cannot hold exactly: it must come back digit for digit. */
    protected static final long HLC = 1764000000000123456L;

    protected abstract CloudVectorStore store();

    protected static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }

    protected static String freshCollection() {
        return "c-" + UUID.randomUUID();
    }

    /** A unit vector along axis {@code axis}, tilted a little towards axis 0 by {@code tilt}. */
    protected static float[] axis(int axis, float tilt) {
        float[] v = new float[DIMENSION];
        v[axis] = 1f;
        v[0] += tilt;
        return v;
    }

    protected static CloudRecord chunk(String docId, int n, float[] vector, long hlc) {
        return CloudRecord.chunk(docId + "#" + n, docId, vector, "Text of " + docId + " chunk " + n, "hash-" + n,
                "Title " + docId, "source-" + docId, hlc, "node-a");
    }

    @Test
    void should_return_records_exactly_as_upserted_when_fetched() {
        String c = freshCollection();
        CloudRecord record = chunk("doc", 0, new float[]{0.1f, -0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, -0.8f}, HLC);
        await(store().upsert(c, List.of(record)));

        List<CloudRecord> fetched = await(store().fetch(c, List.of("doc#0", "missing#0")));

        assertThat(fetched).hasSize(1);
        CloudRecord back = fetched.get(0);
        assertThat(back.id()).isEqualTo("doc#0");
        assertThat(back.vector()).containsExactly(record.vector());
        assertThat(back.metadata()).isEqualTo(record.metadata());
        assertThat(back.metadata().get(CloudRecord.VERSION_HLC)).isEqualTo("1764000000000123456");
        assertThat(back.versionHlc()).isEqualTo(HLC);
        assertThat(back.docId()).isEqualTo("doc");
    }

    @Test
    void should_replace_a_record_upserted_again_with_the_same_id() {
        String c = freshCollection();
        await(store().upsert(c, List.of(chunk("doc", 0, axis(1, 0), HLC))));
        await(store().upsert(c, List.of(chunk("doc", 0, axis(2, 0), HLC + 1))));

        CloudRecord back = await(store().fetch(c, List.of("doc#0"))).get(0);

        assertThat(back.vector()).containsExactly(axis(2, 0));
        assertThat(back.versionHlc()).isEqualTo(HLC + 1);
        assertThat(await(store().stats(c)).recordCount()).isEqualTo(1);
    }

    @Test
    void should_keep_records_of_one_collection_out_of_another() {
        String a = freshCollection();
        String b = freshCollection();
        await(store().upsert(a, List.of(chunk("only-in-a", 0, axis(1, 0), HLC))));

        assertThat(await(store().fetch(b, List.of("only-in-a#0")))).isEmpty();
        assertThat(await(store().query(b, axis(1, 0), 5, Map.of()))).isEmpty();
        assertThat(await(store().query(a, axis(1, 0), 5, Map.of()))).extracting(CloudMatch::id)
                .containsExactly("only-in-a#0");
    }

    @Test
    void should_return_top_k_most_similar_best_first_with_metadata() {
        String c = freshCollection();
        List<CloudRecord> records = new ArrayList<>();
        for (int i = 1; i < DIMENSION; i++) {
            records.add(chunk("doc" + i, 0, axis(i, 0), HLC));
        }
        await(store().upsert(c, records));
        // the query leans mostly to axis 3, then 5, then 6: that must be the order
        float[] query = new float[DIMENSION];
        query[3] = 0.9f;
        query[5] = 0.4f;
        query[6] = 0.2f;

        List<CloudMatch> matches = await(store().query(c, query, 3, Map.of()));

        assertThat(matches).extracting(CloudMatch::id).containsExactly("doc3#0", "doc5#0", "doc6#0");
        assertThat(matches.get(0).score()).isGreaterThan(matches.get(1).score());
        assertThat(matches.get(1).score()).isGreaterThan(matches.get(2).score());
        assertThat(matches.get(0).score()).isCloseTo(0.9 / Math.sqrt(0.81 + 0.16 + 0.04),
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(matches.get(0).metadata()).containsEntry(CloudRecord.DOC_ID, "doc3")
                .containsEntry(CloudRecord.TEXT, "Text of doc3 chunk 0")
                .containsEntry(CloudRecord.VERSION_HLC, Long.toString(HLC));
    }

    @Test
    void should_return_only_matches_whose_metadata_equals_every_filter_entry() {
        String c = freshCollection();
        await(store().upsert(c, List.of(
                chunk("red", 0, axis(1, 0.0f), HLC),
                chunk("red", 1, axis(1, 0.1f), HLC),
                chunk("blue", 0, axis(1, 0.2f), HLC))));

        assertThat(await(store().query(c, axis(1, 0), 10, Map.of(CloudRecord.DOC_ID, "red"))))
                .extracting(CloudMatch::id).containsExactly("red#0", "red#1");
        assertThat(await(store().query(c, axis(1, 0), 10,
                Map.of(CloudRecord.DOC_ID, "red", CloudRecord.TEXT, "Text of red chunk 1"))))
                .extracting(CloudMatch::id).containsExactly("red#1");
        assertThat(await(store().query(c, axis(1, 0), 10, Map.of(CloudRecord.DOC_ID, "green")))).isEmpty();
    }

    @Test
    void should_forget_records_deleted_by_id() {
        String c = freshCollection();
        await(store().upsert(c, List.of(chunk("d", 0, axis(1, 0), HLC), chunk("d", 1, axis(2, 0), HLC))));

        await(store().deleteByIds(c, List.of("d#0", "never-existed")));

        assertThat(await(store().fetch(c, List.of("d#0", "d#1")))).extracting(CloudRecord::id).containsExactly("d#1");
        assertThat(await(store().query(c, axis(1, 0), 5, Map.of()))).extracting(CloudMatch::id)
                .doesNotContain("d#0");
    }

    @Test
    void should_delete_every_chunk_of_a_document_by_doc_id_and_nothing_else() {
        String c = freshCollection();
        await(store().upsert(c, List.of(chunk("gone", 0, axis(1, 0), HLC), chunk("gone", 1, axis(2, 0), HLC),
                chunk("gone-not", 0, axis(3, 0), HLC))));

        await(store().deleteByDocId(c, "gone"));

        assertThat(await(store().fetch(c, List.of("gone#0", "gone#1", "gone-not#0")))).extracting(CloudRecord::id)
                .containsExactly("gone-not#0");
    }

    @Test
    void should_list_every_id_once_across_pages_in_id_order() {
        String c = freshCollection();
        List<CloudRecord> records = IntStream.range(0, 250)
                .mapToObj(i -> chunk(String.format("doc%03d", i), 0, axis(1 + i % 7, 0), HLC)).toList();
        await(store().upsert(c, records));

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            IdPage page = await(store().listIds(c, null, token, 100));
            assertThat(page.ids()).hasSizeLessThanOrEqualTo(100);
            seen.addAll(page.ids());
            token = page.nextPageToken().orElse(null);
            pages++;
        } while (token != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(records.stream().map(CloudRecord::id).sorted().toList());
    }

    @Test
    void should_list_only_ids_with_the_prefix() {
        String c = freshCollection();
        await(store().upsert(c, List.of(chunk("alpha", 0, axis(1, 0), HLC), chunk("alpha", 1, axis(1, 0), HLC),
                chunk("beta", 0, axis(1, 0), HLC))));

        IdPage page = await(store().listIds(c, "alpha#", null, 100));

        assertThat(page.ids()).containsExactly("alpha#0", "alpha#1");
        assertThat(page.nextPageToken()).isEmpty();
    }

    @Test
    void should_store_every_record_of_an_upsert_larger_than_one_request() {
        String c = freshCollection();
        List<CloudRecord> records = IntStream.range(0, 2500)
                .mapToObj(i -> chunk("bulk" + i, 0, axis(1 + i % 7, i / 2500f), HLC + i)).toList();

        await(store().upsert(c, records));

        assertThat(await(store().stats(c)).recordCount()).isEqualTo(2500);
        Set<String> ids = new HashSet<>();
        String token = null;
        do {
            IdPage page = await(store().listIds(c, null, token, 100));
            ids.addAll(page.ids());
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        assertThat(ids).hasSize(2500).contains("bulk0#0", "bulk2499#0");
        assertThat(await(store().fetch(c, List.of("bulk2499#0"))).get(0).versionHlc()).isEqualTo(HLC + 2499);
    }

    @Test
    void should_report_record_count_and_dimension() {
        String c = freshCollection();
        await(store().upsert(c, List.of(chunk("s", 0, axis(1, 0), HLC), chunk("s", 1, axis(2, 0), HLC))));

        CloudStats stats = await(store().stats(c));

        assertThat(stats.recordCount()).isEqualTo(2);
        assertThat(stats.dimension()).isEqualTo(DIMENSION);
        assertThat(await(store().stats(freshCollection())).recordCount()).isZero();
    }

    @Test
    void should_refuse_a_vector_of_the_wrong_dimension_with_a_clear_exception() {
        String c = freshCollection();
        CloudRecord tooShort = chunk("short", 0, new float[]{1f, 0f, 0f}, HLC);

        assertThatThrownBy(() -> await(store().upsert(c, List.of(tooShort))))
                .isInstanceOf(InvalidCloudRequestException.class).hasMessageContaining("dimension");
        assertThatThrownBy(() -> await(store().query(c, new float[]{1f, 0f, 0f}, 3, Map.of())))
                .isInstanceOf(InvalidCloudRequestException.class).hasMessageContaining("dimension");
        assertThat(await(store().fetch(c, List.of("short#0")))).isEmpty();
    }

    @Test
    void should_refuse_empty_and_non_finite_vectors() {
        String c = freshCollection();
        float[] nan = axis(1, 0);
        nan[2] = Float.NaN;

        assertThatThrownBy(() -> await(store().upsert(c, List.of(chunk("nan", 0, nan, HLC)))))
                .isInstanceOf(InvalidCloudRequestException.class);
        assertThatThrownBy(() -> await(store().query(c, new float[0], 3, Map.of())))
                .isInstanceOf(InvalidCloudRequestException.class);
    }
}
