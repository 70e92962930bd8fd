package io.edgerag.audit;

import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.pinecone.PineconeStandInResource;
import org.junit.jupiter.api.BeforeEach;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail and the erasure report of the running appliance (standalone edge, the Pinecone stand-in
 * as its cloud store), driven over HTTP.
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
@QuarkusTestResource(PineconeStandInResource.class)
class AuditAndErasureApiTest {

    @BeforeEach
    void cloudUp() throws Exception {
        PineconeStandInResource.standIn().upAndClean();
    }

    private static final String SECRET_TEXT = "Patient Zebulon Quartermaine was prescribed twelve milligrams of imaginol.";

    @Inject
    AuditTrail trail;

    @Inject
    DurableVectorStore store;

    private static Response write(String id, String text, String source) {
        return given().contentType(ContentType.JSON).body(Map.of("id", id, "title", "Record " + id, "text", text,
                "source", source, "collection", "clinic")).post("/api/documents");
    }

    private static List<AuditEntry> entriesOf(String docId) {
        String export = given().get("/api/admin/audit/export").then().statusCode(200).extract().asString();
        return export.lines().map(AuditEntry::parse).filter(e -> docId.equals(e.docId())).toList();
    }

    @Test
    void writes_and_deletes_are_in_a_verifiable_chain_without_their_text() throws Exception {
        Response created = write("audit-doc", SECRET_TEXT, "ehr");
        assertThat(created.statusCode()).isEqualTo(201);
        String written = created.path("version.hlc");
        given().delete("/api/documents/audit-doc").then().statusCode(204);
        String deleted = given().get("/api/documents/audit-doc/erasure").then().statusCode(200).extract().path("hlc");

        List<AuditEntry> entries = entriesOf("audit-doc");
        assertThat(entries).extracting(AuditEntry::action).containsExactly(AuditActions.UPSERT, AuditActions.DELETE);
        assertThat(entries).extracting(AuditEntry::version).containsExactly(written, deleted);
        assertThat(entries.get(0).collection()).isEqualTo("clinic");
        assertThat(entries).extracting(AuditEntry::principal).containsOnly("anonymous"); // open mode in tests

        Response verify = given().get("/api/admin/audit/verify");
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat((Boolean) verify.path("ok")).isTrue();
        assertThat(((Number) verify.path("entries")).longValue()).isGreaterThanOrEqualTo(2);

        String onDisk = Files.readString(trail.file());
        assertThat(onDisk).contains("\"docId\":\"audit-doc\"");
        for (String word : List.of("Zebulon", "Quartermaine", "imaginol", "Record audit-doc")) {
            assertThat(onDisk).doesNotContain(word);
        }
        assertThat(AuditChain.verify(trail.file()).ok()).isTrue();
    }

    @Test
    void admin_calls_are_recorded_before_they_run_and_show_in_the_metrics() {
        given().get("/api/admin/audit/verify").then().statusCode(200);

        String export = given().get("/api/admin/audit/export").then().statusCode(200).extract().asString();
        List<AuditEntry> admin = export.lines().map(AuditEntry::parse)
                .filter(e -> AuditActions.ADMIN.equals(e.action())).toList();
        assertThat(admin).extracting(AuditEntry::detail).contains("GET /api/admin/audit/verify", "GET /api/admin/audit/export");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("edgerag_audit_events_total\\{action=\"admin.call\"[^}]*} [1-9]");
    }

    @Test
    void export_since_a_time_holds_only_later_entries_and_a_bad_time_is_a_problem() {
        write("audit-before", "A passage written before the cut.", "ehr").then().statusCode(201);
        Instant cut = Instant.now().plusMillis(5);
        await(cut);
        write("audit-after", "A passage written after the cut.", "ehr").then().statusCode(201);

        String export = given().queryParam("since", cut.toString()).get("/api/admin/audit/export")
                .then().statusCode(200).extract().asString();
        List<String> ids = export.lines().map(AuditEntry::parse).map(AuditEntry::docId).toList();
        assertThat(ids).contains("audit-after").doesNotContain("audit-before");
        assertThat(export.lines().map(AuditEntry::parse).map(e -> Instant.parse(e.time())))
                .allSatisfy(t -> assertThat(t).isAfterOrEqualTo(cut));

        Response bad = given().queryParam("since", "yesterday").get("/api/admin/audit/export");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.<String>path("detail")).contains("ISO-8601");
    }

    private static void await(Instant t) {
        while (Instant.now().isBefore(t.plusMillis(2))) {
            Thread.onSpinWait();
        }
    }

    @Test
    void erasure_report_after_a_cloud_level_delete_confirms_the_cloud_and_says_purged_only_after_compaction() {
        write("erase-me", SECRET_TEXT, "ehr").then().statusCode(201);
        given().queryParam("consistency", "cloud").delete("/api/documents/erase-me").then().statusCode(204);

        Response before = given().get("/api/documents/erase-me/erasure");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat((Boolean) before.path("local.confirmed")).isTrue();
        assertThat((Boolean) before.path("local.purged")).isFalse();
        assertThat(before.<String>path("local.purgeWithin")).isEqualTo("PT24H");
        Instant deletedAt = Instant.parse(before.path("deletedAt"));
        assertThat(Instant.parse(before.path("local.purgeBy"))).isEqualTo(deletedAt.plusSeconds(24 * 3600));
        assertThat((Boolean) before.path("hybrid")).isFalse();
        assertThat(before.<List<Object>>path("nodes")).isEmpty();
        assertThat(before.<String>path("cloud.status")).isEqualTo("confirmed");
        assertThat(before.<String>path("cloud.version")).isEqualTo(before.path("hlc"));
        assertThat((Boolean) before.path("complete")).isTrue();

        store.compact();

        Response after = given().get("/api/documents/erase-me/erasure");
        assertThat((Boolean) after.path("local.purged")).isTrue();
        assertThat(after.<String>path("hlc")).isEqualTo(before.path("hlc"));
    }

    @Test
    void erasure_report_after_a_local_delete_leaves_the_cloud_pending_without_a_sink() {
        write("erase-local", "A passage deleted on this edge only.", "ehr").then().statusCode(201);
        given().delete("/api/documents/erase-local").then().statusCode(204);

        Response r = given().get("/api/documents/erase-local/erasure");

        assertThat((Boolean) r.path("local.confirmed")).isTrue();
        assertThat(r.<String>path("cloud.status")).isEqualTo("pending");
        assertThat((Boolean) r.path("complete")).isFalse();
    }

    @Test
    void erasure_report_is_404_for_an_unknown_id_and_409_for_a_live_document() {
        Response unknown = given().get("/api/documents/never-was-here/erasure");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");

        write("still-live", "A passage that stays.", "ehr").then().statusCode(201);
        Response live = given().get("/api/documents/still-live/erasure");
        assertThat(live.statusCode()).isEqualTo(409);
        assertThat(live.<String>path("detail")).contains("not deleted");
    }

    @Test
    void bulk_delete_by_source_tombstones_every_document_of_that_source_only() {
        write("crm-1", "Customer one asked for a refund.", "crm-export.csv").then().statusCode(201);
        write("crm-2", "Customer two changed their address.", "crm-export.csv").then().statusCode(201);
        write("crm-other", "Customer three stays on file.", "crm-live").then().statusCode(201);

        Response r = given().queryParam("source", "crm-export.csv").delete("/api/documents");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((Integer) r.path("count")).isEqualTo(2);
        assertThat(r.<List<String>>path("deleted.id")).containsExactlyInAnyOrder("crm-1", "crm-2");
        for (String id : List.of("crm-1", "crm-2")) {
            given().get("/api/documents/" + id).then().statusCode(404);
            String hlc = r.path("deleted.find { it.id == '" + id + "' }.hlc");
            assertThat(given().get("/api/documents/" + id + "/erasure").<String>path("hlc")).isEqualTo(hlc);
            assertThat(entriesOf(id)).extracting(AuditEntry::action).endsWith(AuditActions.DELETE);
        }
        given().get("/api/documents/crm-other").then().statusCode(200);

        Response again = given().queryParam("source", "crm-export.csv").delete("/api/documents");
        assertThat((Integer) again.path("count")).isZero();
    }

    @Test
    void bulk_delete_without_a_source_is_a_problem() {
        Response r = given().delete("/api/documents");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.<String>path("detail")).contains("source");
    }

    @Test
    void a_tampered_copy_of_the_live_log_is_caught_at_the_edited_line(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        for (int i = 0; i < 3; i++) {
            write("tamper-" + i, "Tamper test passage " + i + ".", "ehr").then().statusCode(201);
        }
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(trail.file()));
        int middle = lines.size() / 2;
        lines.set(middle, lines.get(middle).replaceFirst("\"principal\":\"[^\"]*\"", "\"principal\":\"mallory\""));
        Path copy = tmp.resolve("copy.jsonl");
        Files.write(copy, lines);

        AuditChain.Report report = AuditChain.verify(copy);

        assertThat(report.ok()).isFalse();
        assertThat(report.line()).isEqualTo(middle + 1L);
        assertThat(report.eventId()).isEqualTo(AuditEntry.parse(lines.get(middle)).id());
    }
}
