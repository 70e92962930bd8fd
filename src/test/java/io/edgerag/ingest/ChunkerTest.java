package io.edgerag.ingest;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plain tests that never load the tokenizer's native library (it may load once per JVM: see ChunkingInAppTest). */
class ChunkerTest {

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
