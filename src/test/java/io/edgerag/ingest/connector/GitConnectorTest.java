package io.edgerag.ingest.connector;

import io.edgerag.ingest.IngestService;
import io.edgerag.support.OllamaStandInResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.edgerag.ingest.connector.FolderConnectorTest.searchDocIds;
import static io.edgerag.ingest.connector.FolderConnectorTest.searchTexts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Git connector against a real repository made here with JGit: the first run ingests the tree, later
 * runs apply each commit range by its diff (add, modify, rename, delete); a run cut short in the middle of
 * a range leaves the last ingested commit where it was, and the next run (a new connector over the same
 * state) redoes the range to the same end state without embedding the already applied files again.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class GitConnectorTest {

    @Inject
    IngestService ingest;

    @Inject
    MeterRegistry registry;

    @TempDir
    Path origin;

    @TempDir
    Path dataDir;

    private Git repo;

    @BeforeEach
    void createRepository() throws Exception {
        repo = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call();
    }

    @AfterEach
    void closeRepository() {
        repo.close();
    }

    private ConnectorSettings settings(String name) {
        return new ConnectorSettings(name, ConnectorType.git, origin.toString(), "main", null, Duration.ofHours(1),
                "git-" + name, true);
    }

    private GitConnector connector(String name) {
        return (GitConnector) Connectors.create(settings(name), ingest, dataDir, registry);
    }

    private RevCommit commit(String message, String... pathsAndTexts) throws Exception {
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            Path file = origin.resolve(pathsAndTexts[i]);
            if (pathsAndTexts[i + 1] == null) {
                repo.rm().addFilepattern(pathsAndTexts[i]).call();
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, pathsAndTexts[i + 1]);
                repo.add().addFilepattern(pathsAndTexts[i]).call();
            }
        }
        return repo.commit().setMessage(message).setAuthor("docs", "docs@example.org")
                .setCommitter("docs", "docs@example.org").setSign(false).call();
    }

    private double chunksEmbedded() {
        return registry.counter("edgerag.ingest.chunks").count();
    }

    @Test
    void should_ingest_the_tree_then_apply_each_range_by_its_diff() throws Exception {
        commit("first", "guide.md", "# Guide\nInstall the appliance with one container image.",
                "faq.md", "# FAQ\nThe appliance answers from local passages first.",
                "logo.png", "binary-ish");
        RevCommit first = repo.log().call().iterator().next();
        GitConnector connector = connector("docs");

        RunReport initial = connector.sync();
        assertThat(initial.upserts()).as("the whole tree, logo.png not included").isEqualTo(2);
        assertThat(initial.commit()).isEqualTo(first.name());
        assertThat(connector.lastIngestedCommit()).isEqualTo(first.name());
        given().get("/api/documents/guide.md").then().statusCode(200);
        assertThat(given().get("/api/documents/faq.md").path("collection").toString()).isEqualTo("git-docs");

        double embedded = chunksEmbedded();
        RunReport nothingNew = connector.sync();
        assertThat(nothingNew.seen()).isZero();
        assertThat(chunksEmbedded()).isEqualTo(embedded);

        Files.delete(origin.resolve("faq.md"));
        RevCommit second = commit("modify guide, move faq",
                "guide.md", "# Guide\nUpgrade the appliance by pulling the newer container image.",
                "faq.md", null,
                "help/faq.md", "# FAQ\nThe appliance answers from local passages first.");
        RunReport range = connector.sync();
        assertThat(range.commit()).isEqualTo(second.name());
        assertThat(range.upserts()).as("guide modified, faq renamed").isEqualTo(2);
        assertThat(range.deletes()).as("the old faq id").isEqualTo(1);
        given().get("/api/documents/faq.md").then().statusCode(404);
        given().get("/api/documents/help-faq.md").then().statusCode(200);
        assertThat(given().get("/api/documents/help-faq.md").path("source").toString()).isEqualTo("help/faq.md");
        assertThat(searchTexts("upgrade by pulling the newer container image", "git-docs"))
                .anyMatch(t -> t.contains("Upgrade")).noneMatch(t -> t.contains("Install the appliance"));

        Files.delete(origin.resolve("guide.md"));
        RevCommit third = commit("drop guide", "guide.md", null);
        RunReport deleted = connector.sync();
        assertThat(deleted.deletes()).isEqualTo(1);
        assertThat(deleted.commit()).isEqualTo(third.name());
        given().get("/api/documents/guide.md").then().statusCode(404);
        assertThat(searchDocIds("upgrade the appliance container image", "git-docs")).doesNotContain("guide.md");

        RunReport afterRestart = connector("docs").sync();
        assertThat(afterRestart.seen()).as("a new instance over the same state has nothing to redo").isZero();
        assertThat(afterRestart.commit()).isEqualTo(third.name());
    }

    @Test
    void should_redo_a_range_cut_short_to_the_same_end_state() throws Exception {
        commit("first", "a.md", "Ants farm fungus in underground gardens.", "b.md", "Bees dance to show where flowers are.",
                "c.md", "Crows recognise human faces.");
        RevCommit first = repo.log().call().iterator().next();
        assertThat(connector("cut").sync().upserts()).isEqualTo(3);

        Files.delete(origin.resolve("c.md"));
        RevCommit second = commit("second", "a.md", "Ants can carry fifty times their own weight.",
                "b.md", "Bees see ultraviolet patterns on petals.", "c.md", null,
                "d.md", "Dolphins sleep with one half of the brain at a time.");

        ConnectorSettings settings = settings("cut");
        GitConnector crashing = new GitConnector(settings, new SinkThatDiesAfter(1, ingest, settings),
                dataDir.resolve("connectors/cut"), new ConnectorProgress(settings, registry));
        assertThatThrownBy(crashing::sync).hasMessageContaining("died");
        assertThat(crashing.lastIngestedCommit()).as("not remembered: the range was cut short").isEqualTo(first.name());
        assertThat(searchTexts("ants carry weight", "git-cut")).as("a.md was applied before the cut")
                .anyMatch(t -> t.contains("fifty times"));
        given().get("/api/documents/d.md").then().statusCode(404);

        double embedded = chunksEmbedded();
        RunReport redo = connector("cut").sync();
        assertThat(redo.commit()).isEqualTo(second.name());
        assertThat(redo.unchanged()).as("a.md already applied: not embedded again").isEqualTo(1);
        assertThat(redo.upserts()).as("b.md, d.md").isEqualTo(2);
        assertThat(redo.deletes()).as("c.md").isEqualTo(1);
        assertThat(chunksEmbedded() - embedded).as("two one-chunk documents embedded").isEqualTo(2);

        assertThat(searchTexts("ants carry weight", "git-cut")).anyMatch(t -> t.contains("fifty times"))
                .noneMatch(t -> t.contains("fungus"));
        assertThat(searchTexts("bees ultraviolet petals", "git-cut")).anyMatch(t -> t.contains("ultraviolet"))
                .noneMatch(t -> t.contains("dance"));
        given().get("/api/documents/c.md").then().statusCode(404);
        given().get("/api/documents/d.md").then().statusCode(200);
    }

    /** The real sink, until the process "dies" after {@code upserts} upserts. */
    private static final class SinkThatDiesAfter extends DocumentSink {
        private int left;

        SinkThatDiesAfter(int upserts, IngestService ingest, ConnectorSettings settings) {
            super(ingest, settings.name(), settings.collection());
            this.left = upserts;
        }

        @Override
        public Outcome upsert(String relativePath, byte[] bytes) {
            if (left-- == 0) {
                throw new IllegalStateException("died before " + relativePath);
            }
            return super.upsert(relativePath, bytes);
        }
    }
}
