package io.edgerag.ingest;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chunker tests that need the HuggingFace tokenizer. They run inside the Quarkus application because
 * its native library (DJL tokenizers) can load in one classloader per JVM only, and the app loads it.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class ChunkingInAppTest {

    @Inject
    IngestService ingest;

    @Test
    void should_use_the_configured_300_token_chunks_with_30_overlap() {
        assertThat(ingest.chunker().maxTokens()).isEqualTo(300);
        assertThat(ingest.chunker().overlapTokens()).isEqualTo(30);
    }

    @Test
    void should_keep_a_short_document_in_one_chunk() {
        assertThat(new Chunker(300, 30).split("One short paragraph.")).containsExactly("One short paragraph.");
    }

    @Test
    void should_keep_every_chunk_within_the_token_budget() {
        HuggingFaceTokenCountEstimator tokens = new HuggingFaceTokenCountEstimator();
        String sentence = "The appliance embeds every chunk with a small local model before storing it. ";
        String text = (sentence.repeat(20) + "\n\n").repeat(10);

        List<String> chunks = new Chunker(100, 10).split(text);

        assertThat(chunks.size()).isGreaterThan(10);
        assertThat(chunks).allSatisfy(c -> assertThat(tokens.estimateTokenCountInText(c)).isLessThanOrEqualTo(100));
    }

    @Test
    void should_return_no_chunks_for_blank_text() {
        assertThat(new Chunker(300, 30).split("  \n ")).isEmpty();
    }

    @Test
    void should_cut_chunks_so_that_title_and_chunk_fit_the_model_input() {
        HuggingFaceTokenCountEstimator tokens = new HuggingFaceTokenCountEstimator();
        String title = "Hybrid retrieval on edge boxes with a local FAISS index and a cloud fallback";
        String text = "Every passage keeps its provenance so the answer can cite it exactly. ".repeat(60);

        List<String> chunks = new Chunker(300, 30).splitToFit(text, title, 256);

        assertThat(chunks.size()).isGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> assertThat(
                tokens.estimateTokenCountInText(title) + tokens.estimateTokenCountInText(c) + 2).isLessThanOrEqualTo(256));
        assertThat(new Chunker(300, 30).splitToFit(text, title, 512)).hasSameSizeAs(new Chunker(300, 30).split(text));
    }
}
