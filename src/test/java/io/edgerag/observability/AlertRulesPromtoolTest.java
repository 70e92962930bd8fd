package io.edgerag.observability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs Prometheus' own rule checker and rule unit tests ({@code deploy/prometheus/*.test.yaml}) with
 * {@code promtool} (Debian package {@code prometheus}, installed by {@code deploy/edgerag.sh test}).
 * Without promtool the test is skipped on a developer's machine, and fails under CI ({@code CI=true}),
 * where its absence would be a broken install step.
 */
class AlertRulesPromtoolTest {

    @Test
    void should_pass_promtool_check_and_the_rule_unit_tests() throws Exception {
        String promtool = promtool();
        assertThat(run(promtool, "check", "rules", "edgerag-alerts.yaml")).contains("SUCCESS: 5 rules found");
        assertThat(run(promtool, "test", "rules", "edgerag-alerts.test.yaml")).contains("SUCCESS");
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("promtool missing under CI: deploy/edgerag.sh test installs the prometheus package");
        }
        assumeTrue(false, "promtool not installed (apt-get install prometheus)");
        return null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).directory(Path.of("deploy/prometheus").toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
