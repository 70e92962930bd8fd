package io.edgerag.store.local;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link EmbeddingStore}{@code <TextSegment>} in edgerag must do, in the style of
 * LangChain4j's {@code EmbeddingStoreIT}. Optional behaviour sits behind capability flags; LangChain4j's
 * own {@code InMemoryEmbeddingStore} runs this suite too, which keeps the suite honest.
 */
public abstract class EmbeddingStoreContractTest {

    protected static final int DIM = 32;

    @TempDir
    protected Path dir;

    protected EmbeddingStore<TextSegment> store;

    protected abstract EmbeddingStore<TextSegment> createStore(Path directory);

    /** Closes the store (when it holds resources). */
    protected void closeStore(EmbeddingStore<TextSegment> s) {
        if (s instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Entries survive closing the store and creating it again on the same directory. */
    protected boolean supportsPersistence() {
        return false;
    }

    /** Adding an id that exists replaces the entry instead of adding a second one. */
    protected boolean replacesOnSameId() {
        return true;
    }

    /** Vectors of the wrong dimension, NaN or zero are rejected with IllegalArgumentException. */
    protected boolean validatesVectors() {
        return false;
    }

    @BeforeEach
    void openStore() {
        store = createStore(dir);
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            closeStore(store);
        }
    }

    protected static Embedding embedding(long seed) {
        return Embedding.from(TestVectors.random(seed, DIM));
    }

    protected List<EmbeddingMatch<TextSegment>> search(Embedding query, int maxResults) {
        return search(query, maxResults, 0.0, null);
    }

    protected List<EmbeddingMatch<TextSegment>> search(Embedding query, int maxResults, double minScore, Filter filter) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(maxResults)
                .minScore(minScore).filter(filter).build()).matches();
    }

    private static double relevance(Embedding a, Embedding b) {
        return (TestVectors.cosine(a.vector(), b.vector()) + 1) / 2;
    }

    @Test
    void should_return_no_match_when_store_is_empty() {
        assertThat(search(embedding(1), 10)).isEmpty();
    }

    @Test
    void should_find_embedding_added_with_generated_id() {
        Embedding e = embedding(1);
        String id = store.add(e);

        List<EmbeddingMatch<TextSegment>> matches = search(e, 10);

        assertThat(id).isNotBlank();
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).embeddingId()).isEqualTo(id);
        assertThat(matches.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(matches.get(0).embedding().vector()).containsExactly(e.vector());
        assertThat(matches.get(0).embedded()).isNull();
    }

    @Test
    void should_find_embedding_added_with_given_id() {
        String id = UUID.randomUUID().toString();
        Embedding e = embedding(2);
        store.add(id, e);

        assertThat(search(e, 10)).extracting(EmbeddingMatch::embeddingId).containsExactly(id);
    }

    @Test
    void should_return_segment_text_and_typed_metadata() {
        UUID uuid = UUID.randomUUID();
        Metadata metadata = new Metadata().put("s", "text").put("i", 42).put("l", 1L << 40).put("f", 1.5f)
                .put("d", 2.25d).put("u", uuid);
        Embedding e = embedding(3);
        store.add(e, TextSegment.from("hello world", metadata));

        EmbeddingMatch<TextSegment> match = search(e, 1).get(0);

        assertThat(match.embedded().text()).isEqualTo("hello world");
        Metadata back = match.embedded().metadata();
        assertThat(back.getString("s")).isEqualTo("text");
        assertThat(back.getInteger("i")).isEqualTo(42);
        assertThat(back.getLong("l")).isEqualTo(1L << 40);
        assertThat(back.getFloat("f")).isEqualTo(1.5f);
        assertThat(back.getDouble("d")).isEqualTo(2.25d);
        assertThat(back.getUUID("u")).isEqualTo(uuid);
        assertThat(back).isEqualTo(metadata);
    }

    @Test
    void should_add_all_and_return_ids_in_input_order() {
        List<Embedding> embeddings = List.of(embedding(10), embedding(11), embedding(12));
        List<String> ids = store.addAll(embeddings);

        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        for (int i = 0; i < 3; i++) {
            assertThat(search(embeddings.get(i), 1).get(0).embeddingId()).isEqualTo(ids.get(i));
        }
    }

    @Test
    void should_add_all_with_segments_and_given_ids() {
        List<String> ids = List.of("a", "b", "c");
        List<Embedding> embeddings = List.of(embedding(20), embedding(21), embedding(22));
        List<TextSegment> segments = List.of(TextSegment.from("A"), TextSegment.from("B"), TextSegment.from("C"));
        store.addAll(ids, embeddings, segments);

        EmbeddingMatch<TextSegment> match = search(embeddings.get(1), 1).get(0);
        assertThat(match.embeddingId()).isEqualTo("b");
        assertThat(match.embedded().text()).isEqualTo("B");
        assertThat(search(embedding(99), 10)).hasSize(3);
    }

    @Test
    void should_report_relevance_score_derived_from_cosine() {
        Embedding stored = embedding(30);
        Embedding query = embedding(31);
        store.add(stored);

        EmbeddingMatch<TextSegment> match = search(query, 1, 0.0, null).get(0);

        assertThat(match.score()).isCloseTo(relevance(query, stored), within(1e-5));
    }

    @Test
    void should_order_matches_by_descending_score_and_respect_max_results() {
        Embedding query = embedding(40);
        for (int i = 0; i < 10; i++) {
            store.add(Embedding.from(TestVectors.near(query.vector(), 100 + i, 0.1 * (i + 1))));
        }

        List<EmbeddingMatch<TextSegment>> matches = search(query, 4);

        assertThat(matches).hasSize(4);
        assertThat(matches).extracting(EmbeddingMatch::score).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void should_drop_matches_below_min_score() {
        Embedding query = embedding(50);
        Embedding close = Embedding.from(TestVectors.near(query.vector(), 1, 0.05));
        Embedding far = Embedding.from(negate(query.vector()));
        store.add("close", close);
        store.add("far", far);

        List<EmbeddingMatch<TextSegment>> matches = search(query, 10, 0.9, null);

        assertThat(matches).extracting(EmbeddingMatch::embeddingId).containsExactly("close");
    }

    @Test
    void should_apply_equality_filter_before_the_top_k_cut() {
        Embedding query = embedding(60);
        for (int i = 0; i < 20; i++) {
            store.add(Embedding.from(TestVectors.near(query.vector(), i, 0.05)),
                    TextSegment.from("near " + i, Metadata.from("colour", "red")));
        }
        add("blue", Embedding.from(negate(query.vector())), TextSegment.from("far", Metadata.from("colour", "blue")));

        List<EmbeddingMatch<TextSegment>> matches = search(query, 1, 0.0, metadataKey("colour").isEqualTo("blue"));

        assertThat(matches).extracting(EmbeddingMatch::embeddingId).containsExactly("blue");
    }

    @Test
    void should_filter_with_is_in_and_not_equal() {
        addColours();

        assertThat(ids(search(embedding(1), 10, 0.0, metadataKey("colour").isIn("red", "green"))))
                .containsExactlyInAnyOrder("red", "green");
        assertThat(ids(search(embedding(1), 10, 0.0, metadataKey("colour").isNotEqualTo("red"))))
                .containsExactlyInAnyOrder("green", "blue");
        assertThat(ids(search(embedding(1), 10, 0.0, metadataKey("colour").isNotIn("red", "green"))))
                .containsExactlyInAnyOrder("blue");
    }

    @Test
    void should_filter_with_and_or_not() {
        addColours();

        Filter redOrBlue = metadataKey("colour").isEqualTo("red").or(metadataKey("colour").isEqualTo("blue"));
        Filter redAndSmall = metadataKey("colour").isEqualTo("red").and(metadataKey("size").isLessThan(2));

        assertThat(ids(search(embedding(1), 10, 0.0, redOrBlue))).containsExactlyInAnyOrder("red", "blue");
        assertThat(ids(search(embedding(1), 10, 0.0, redAndSmall))).containsExactly("red");
        assertThat(ids(search(embedding(1), 10, 0.0, Filter.not(redOrBlue)))).containsExactly("green");
    }

    @Test
    void should_filter_with_numeric_comparisons() {
        addColours();

        assertThat(ids(search(embedding(1), 10, 0.0, metadataKey("size").isGreaterThan(1))))
                .containsExactlyInAnyOrder("green", "blue");
        assertThat(ids(search(embedding(1), 10, 0.0, metadataKey("size").isLessThanOrEqualTo(2))))
                .containsExactlyInAnyOrder("red", "green");
        assertThat(ids(search(embedding(1), 10, 0.0, metadataKey("weight").isGreaterThanOrEqualTo(2.5))))
                .containsExactlyInAnyOrder("blue");
    }

    @Test
    void should_return_nothing_when_filter_matches_nothing() {
        addColours();

        assertThat(search(embedding(1), 10, 0.0, metadataKey("colour").isEqualTo("purple"))).isEmpty();
        assertThat(search(embedding(1), 10, 0.0, metadataKey("missing").isEqualTo("x"))).isEmpty();
    }

    @Test
    void should_replace_entry_added_again_with_same_id() {
        if (!replacesOnSameId()) {
            return;
        }
        Embedding first = embedding(70);
        Embedding second = embedding(71);
        store.add("same", first);
        store.addAll(List.of("same"), List.of(second), List.of(TextSegment.from("second")));

        List<EmbeddingMatch<TextSegment>> matches = search(second, 10);

        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).embedded().text()).isEqualTo("second");
        assertThat(matches.get(0).embedding().vector()).containsExactly(second.vector());
    }

    @Test
    void should_remove_by_id() {
        store.add("keep", embedding(80));
        store.add("drop", embedding(81));

        store.remove("drop");

        assertThat(ids(search(embedding(81), 10))).containsExactly("keep");
    }

    @Test
    void should_remove_all_given_ids() {
        store.add("a", embedding(1));
        store.add("b", embedding(2));
        store.add("c", embedding(3));

        store.removeAll(List.of("a", "c"));

        assertThat(ids(search(embedding(1), 10))).containsExactly("b");
    }

    @Test
    void should_reject_remove_all_with_empty_ids() {
        assertThatThrownBy(() -> store.removeAll(List.<String>of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_remove_all_matching_filter() {
        addColours();

        store.removeAll(metadataKey("size").isGreaterThan(1));

        assertThat(ids(search(embedding(1), 10))).containsExactly("red");
    }

    @Test
    void should_remove_everything() {
        addColours();

        store.removeAll();

        assertThat(search(embedding(1), 10)).isEmpty();
    }

    @Test
    void should_find_exact_nearest_neighbours_among_many_embeddings() {
        int n = 300;
        List<Embedding> embeddings = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            embeddings.add(embedding(1000 + i));
            ids.add("e" + i);
        }
        for (int i = 0; i < n; i++) {
            store.add(ids.get(i), embeddings.get(i));
        }

        for (int q = 0; q < 5; q++) {
            Embedding query = embeddings.get(q * 37);
            List<String> expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -relevance(query, embeddings.get(i))))
                    .limit(1).map(ids::get).toList();
            List<EmbeddingMatch<TextSegment>> matches = search(query, 5);
            assertThat(matches).hasSize(5);
            assertThat(matches.get(0).embeddingId()).isEqualTo(expected.get(0));
            assertThat(matches.get(0).score()).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void should_keep_entries_after_reopen() {
        if (!supportsPersistence()) {
            return;
        }
        Embedding e = embedding(90);
        add("persisted", e, TextSegment.from("kept", Metadata.from("k", "v")));
        store.add("removed", embedding(91));
        store.remove("removed");
        closeStore(store);

        store = createStore(dir);

        List<EmbeddingMatch<TextSegment>> matches = search(e, 10);
        assertThat(ids(matches)).containsExactly("persisted");
        assertThat(matches.get(0).embedded().metadata().getString("k")).isEqualTo("v");
    }

    @Test
    void should_reject_invalid_vectors_and_keep_store_unchanged() {
        if (!validatesVectors()) {
            return;
        }
        store.add("ok", embedding(1));

        assertThatThrownBy(() -> store.add(Embedding.from(new float[DIM + 1]))).isInstanceOf(IllegalArgumentException.class);
        float[] nan = TestVectors.random(2, DIM);
        nan[3] = Float.NaN;
        assertThatThrownBy(() -> store.addAll(List.of("x", "y"), List.of(embedding(3), Embedding.from(nan)), List.of(TextSegment.from("x"), TextSegment.from("y"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.add(Embedding.from(new float[DIM]))).isInstanceOf(IllegalArgumentException.class);

        assertThat(ids(search(embedding(1), 10))).containsExactly("ok");
    }

    private void addColours() {
        add("red", embedding(1), TextSegment.from("r", new Metadata().put("colour", "red").put("size", 1).put("weight", 1.0)));
        add("green", embedding(2), TextSegment.from("g", new Metadata().put("colour", "green").put("size", 2).put("weight", 2.0)));
        add("blue", embedding(3), TextSegment.from("b", new Metadata().put("colour", "blue").put("size", 3).put("weight", 3.0)));
    }

    private void add(String id, Embedding embedding, TextSegment segment) {
        store.addAll(List.of(id), List.of(embedding), List.of(segment));
    }

    private static List<String> ids(List<EmbeddingMatch<TextSegment>> matches) {
        return matches.stream().map(EmbeddingMatch::embeddingId).toList();
    }

    private static float[] negate(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }
}
