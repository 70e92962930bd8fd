package io.edgerag.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log on its own: chain, verification of tampered copies, restart, torn tail, concurrent appends. */
class AuditLogTest {

    @TempDir
    Path dir;

    private static AuditEvent event(int i) {
        return new AuditEvent("key:ops", AuditActions.UPSERT, "doc-" + i, Long.toString(1_000_000L + i), "c", null);
    }

    private Path logWith(int entries) {
        Path file = dir.resolve("audit").resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            for (int i = 1; i <= entries; i++) {
                log.append(event(i)).join();
            }
        }
        return file;
    }

    @Test
    void should_chain_each_entry_to_the_one_before_and_verify() throws Exception {
        Path file = logWith(5);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5);
        AuditEntry first = AuditEntry.parse(lines.get(0));
        AuditEntry second = AuditEntry.parse(lines.get(1));
        assertThat(first.prev()).isEqualTo(AuditEntry.GENESIS);
        assertThat(second.prev()).isEqualTo(first.hash());
        assertThat(second.seq()).isEqualTo(2);
        assertThat(first.hash()).isEqualTo(io.edgerag.common.Sha256.hex(first.canonical())).hasSize(64);
        assertThat(first.principal()).isEqualTo("key:ops");
        assertThat(first.docId()).isEqualTo("doc-1");
        assertThat(first.version()).isEqualTo("1000001");

        AuditChain.Report report = AuditChain.verify(file);
        assertThat(report.ok()).isTrue();
        assertThat(report.entries()).isEqualTo(5);
        assertThat(report.lastHash()).isEqualTo(AuditEntry.parse(lines.get(4)).hash());
    }

    @Test
    void should_name_the_line_whose_field_was_edited() throws Exception {
        Path file = logWith(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String middleId = AuditEntry.parse(lines.get(2)).id();
        lines.set(2, lines.get(2).replace("\"docId\":\"doc-3\"", "\"docId\":\"doc-X\""));
        Path tampered = dir.resolve("tampered.jsonl");
        Files.write(tampered, lines);

        AuditChain.Report report = AuditChain.verify(tampered);

        assertThat(report.ok()).isFalse();
        assertThat(report.line()).isEqualTo(3);
        assertThat(report.eventId()).isEqualTo(middleId);
        assertThat(report.reason()).contains("hash");
        assertThat(report.entries()).isEqualTo(2);
    }

    @Test
    void should_name_the_line_after_a_removed_one() throws Exception {
        Path file = logWith(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Path tampered = dir.resolve("gap.jsonl");
        Files.write(tampered, lines);

        AuditChain.Report report = AuditChain.verify(tampered);

        assertThat(report.ok()).isFalse();
        assertThat(report.line()).isEqualTo(2);
        assertThat(report.eventId()).isEqualTo(AuditEntry.parse(lines.get(1)).id());
        assertThat(report.reason()).contains("removed");
    }

    @Test
    void should_detect_an_entry_re_hashed_after_editing_at_the_entry_after_it() throws Exception {
        Path file = logWith(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        AuditEntry e = AuditEntry.parse(lines.get(1));
        AuditEvent forged = new AuditEvent("someone-else", e.action(), e.docId(), e.version(), e.collection(), e.detail());
        lines.set(1, AuditEntry.sealed(e.seq(), e.id(), e.time(), forged, e.prev()).toLine());
        Path tampered = dir.resolve("rehashed.jsonl");
        Files.write(tampered, lines);

        AuditChain.Report report = AuditChain.verify(tampered);

        assertThat(report.ok()).isFalse();
        assertThat(report.line()).isEqualTo(3);
    }

    @Test
    void should_refuse_an_added_field_even_when_the_hashed_fields_are_intact() throws Exception {
        Path file = logWith(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(0, lines.get(0).replace("{\"seq\":1,", "{\"seq\":1,\"note\":\"x\","));
        Path tampered = dir.resolve("added.jsonl");
        Files.write(tampered, lines);

        assertThat(AuditChain.verify(tampered).line()).isEqualTo(1);
    }

    @Test
    void should_continue_the_chain_after_a_restart() throws Exception {
        Path file = logWith(3);
        String head = AuditEntry.parse(Files.readAllLines(file).get(2)).hash();

        try (AuditLog reopened = AuditLog.open(file)) {
            AuditEntry next = reopened.append(event(4)).join();
            assertThat(next.seq()).isEqualTo(4);
            assertThat(next.prev()).isEqualTo(head);
        }

        AuditChain.Report report = AuditChain.verify(file);
        assertThat(report.ok()).isTrue();
        assertThat(report.entries()).isEqualTo(4);
    }

    @Test
    void should_cut_a_torn_last_line_at_open_and_go_on() throws Exception {
        Path file = logWith(2);
        Files.writeString(file, "{\"seq\":3,\"id\":\"torn", StandardOpenOption.APPEND);
        assertThat(AuditChain.verify(file).reason()).contains("torn");

        try (AuditLog reopened = AuditLog.open(file)) {
            assertThat(reopened.append(event(3)).join().seq()).isEqualTo(3);
        }

        assertThat(AuditChain.verify(file).ok()).isTrue();
        assertThat(Files.readString(file)).doesNotContain("torn");
    }

    @Test
    void should_refuse_to_continue_from_a_last_line_that_is_not_an_entry() throws Exception {
        Path file = logWith(1);
        Files.writeString(file, "garbage\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> AuditLog.open(file)).hasMessageContaining("audit verify");
    }

    @Test
    void should_keep_one_unbroken_chain_under_concurrent_appends() {
        Path file = dir.resolve("concurrent.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            List<CompletableFuture<AuditEntry>> all = java.util.stream.IntStream.range(0, 400).parallel()
                    .mapToObj(i -> log.append(event(i))).toList();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            assertThat(all.stream().map(f -> f.join().seq()).distinct()).hasSize(400);
            assertThat(log.durableLength()).isPositive();
        }
        AuditChain.Report report = AuditChain.verify(file);
        assertThat(report.ok()).isTrue();
        assertThat(report.entries()).isEqualTo(400);
    }

    @Test
    void cli_should_exit_0_for_a_sound_log_and_1_naming_the_line_for_a_tampered_one() throws Exception {
        Path file = logWith(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(AuditCommand.run(new String[] {"audit", "verify", file.toString()}, print, print)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK: 3 entries");

        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("key:ops", "key:opz"));
        Files.write(file, lines);
        out.reset();
        assertThat(AuditCommand.run(new String[] {"audit", "verify", file.toString()}, print, print)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("BROKEN at line 2");
        assertThat(AuditCommand.run(new String[] {"audit", "verify"}, print, print)).isEqualTo(2);
    }
}
