package io.edgerag.ingest.connector;

import io.edgerag.ingest.SourcePaths;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which files a connector takes, and the ids they get. */
class IncludeGlobsTest {

    @Test
    void should_match_name_globs_anywhere_and_path_globs_from_the_root() {
        IncludeGlobs defaults = new IncludeGlobs(ConnectorSettings.DEFAULT_INCLUDE);
        assertThat(defaults.includes("README.md")).isTrue();
        assertThat(defaults.includes("deep/down/guide.PDF")).as("globs are case-sensitive").isFalse();
        assertThat(defaults.includes("deep/down/guide.pdf")).isTrue();
        assertThat(defaults.includes("img/logo.png")).isFalse();

        IncludeGlobs docsOnly = new IncludeGlobs(List.of("docs/**"));
        assertThat(docsOnly.includes("docs/a/b.md")).isTrue();
        assertThat(docsOnly.includes("README.md")).isFalse();
        assertThat(docsOnly.includes("other/docs/x.md")).isFalse();
    }

    @Test
    void should_derive_ids_from_relative_paths_within_the_store_limit() {
        assertThat(SourcePaths.docId("guides/install guide.md")).isEqualTo("guides-install-guide.md");
        assertThat(SourcePaths.docId("guides\\\\install.md")).isEqualTo("guides-install.md");
        String deep = "d/".repeat(150) + "file.md";
        String other = "d/".repeat(150) + "other.md";
        assertThat(SourcePaths.docId(deep)).hasSize(200).isNotEqualTo(SourcePaths.docId(other));
    }
}
