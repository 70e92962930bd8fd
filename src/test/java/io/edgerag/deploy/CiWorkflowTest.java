package io.edgerag.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub Actions workflow runs exactly what {@code .ci/run} runs (which runs the README's test
 * command through {@code deploy/edgerag.sh test}), on the Debian release the images are built on,
 * with the JDK the build targets, and caches the native FAISS build by its inputs.
 */
class CiWorkflowTest {

    @Test
    @SuppressWarnings("unchecked")
    void should_run_ci_run_on_the_images_debian_with_the_build_jdk_and_cache_the_native_build() throws IOException {
        Map<String, Object> workflow;
        try (Reader r = Files.newBufferedReader(Path.of(".github/workflows/ci.yml"))) {
            workflow = new Yaml().load(r);
        }
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("test");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        List<String> runs = steps.stream().map(s -> String.valueOf(s.get("run"))).toList();

        assertThat(runs).contains("bash .ci/run");
        assertThat(((Map<String, Object>) job.get("env")).get("CI")).isEqualTo("true");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("deploy/edgerag.sh test");
        assertThat(Files.readString(Path.of("deploy/edgerag.sh"))).contains("exec mvn -B verify");

        String dockerBase = DeployManifestsTest.lines(Files.readString(Path.of("docker/Dockerfile.jvm")), "FROM").get(0)
                .split("\\s+")[0];
        assertThat(job.get("container")).isEqualTo(dockerBase);
        String release = Files.readString(Path.of("pom.xml")).replaceAll("(?s).*<maven.compiler.release>(\\d+)<.*", "$1");
        assertThat(String.join("\n", runs)).contains("openjdk-" + release + "-jdk-headless");
        assertThat(((Number) job.get("timeout-minutes")).intValue()).isLessThanOrEqualTo(90);

        Map<String, Object> cache = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/cache"))
                .findFirst().map(s -> (Map<String, Object>) s.get("with")).orElseThrow();
        assertThat(String.valueOf(cache.get("path"))).contains("~/.cache/edgerag", "~/.m2/repository");
        assertThat(String.valueOf(cache.get("key"))).contains("src/main/native/**", "pom.xml");
    }
}
