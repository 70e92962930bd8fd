package io.edgerag.ingest;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTest {

    private static final HuggingFaceTokenCountEstimator TOKENS = new HuggingFaceTokenCountEstimator();

    @Test
    void should_keep_a_short_document_in_one_chunk() {
        assertThat(new Chunker(300, 30).split("One short paragraph.")).containsExactly("One short paragraph.");
    }

    @Test
    void should_keep_every_chunk_within_the_token_budget() {
        String sentence = "The appliance embeds every chunk with a small local model before storing it. ";
        String text = (sentence.repeat(20) + "\n\n").repeat(10);

        List<String> chunks = new Chunker(100, 10).split(text);

        assertThat(chunks.size()).isGreaterThan(10);
        assertThat(chunks).allSatisfy(c -> assertThat(TOKENS.estimateTokenCountInText(c)).isLessThanOrEqualTo(100));
    }

    @Test
    void should_return_no_chunks_for_blank_text() {
        assertThat(new Chunker(300, 30).split("  \n ")).isEmpty();
    }

    @Test
    void should_refuse_overlap_not_smaller_than_size() {
        assertThatThrownBy(() -> new Chunker(30, 30)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_derive_stable_ids() {
        assertThat(IngestService.fileId("dir/My Notes (1).md")).isEqualTo("My-Notes-1-.md");
        IngestCommand a = new IngestCommand(null, null, "same text", null, null, null);
        assertThat(IngestService.derivedId(a)).isEqualTo(IngestService.derivedId(a)).startsWith("doc-").hasSize(20);
    }

    @Test
    void should_detect_formats_by_extension_then_content_type() {
        assertThat(DocumentParsing.detect("a.PDF", null)).isEqualTo(DocumentParsing.Format.PDF);
        assertThat(DocumentParsing.detect("blob", "text/html; charset=utf-8")).isEqualTo(DocumentParsing.Format.HTML);
        assertThatThrownBy(() -> DocumentParsing.detect("x.exe", "application/octet-stream"))
                .isInstanceOf(UnsupportedDocumentTypeException.class);
    }

    @Test
    void should_draw_a_progress_bar() {
        assertThat(FolderIngest.progressBar(5, 10, 10)).isEqualTo("[#####     ] 5/10");
        assertThat(SampleCorpusLoader.listSampleFiles()).hasSizeBetween(5, 8);
    }
}
