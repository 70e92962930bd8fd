package io.edgerag.support.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The files a broker process is launched from: {@code devservices/kafka/} of the project (pom, log4j2 config,
 * server.properties template) and the broker classpath that Maven resolves from that pom.
 * The classpath is cached in {@code target/kafka-broker/classpath.txt}, the same file {@code devservices/kafka.sh} uses.
 */
final class KafkaBrokerFiles {

    private static final long RESOLVE_TIMEOUT_MINUTES = 5;

    private final Path projectRoot;

    private KafkaBrokerFiles(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    /** Finds the project from the working directory, which is the module root under Surefire and in IDEs. */
    static KafkaBrokerFiles ofProject() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("devservices/kafka/pom.xml"))) {
                return new KafkaBrokerFiles(dir);
            }
        }
        throw new IllegalStateException("No devservices/kafka/pom.xml above " + Path.of("").toAbsolutePath());
    }

    Path log4jConfig() {
        return devservices().resolve("log4j2.xml");
    }

    Path serverPropertiesTemplate() {
        return devservices().resolve("server.properties.template");
    }

    Path workDir() {
        return projectRoot.resolve("target/kafka-broker");
    }

    /** The broker classpath; resolved with Maven the first time, and again when the pom changed since. */
    synchronized String classpath() throws IOException, InterruptedException {
        Path cached = workDir().resolve("classpath.txt");
        Path pom = devservices().resolve("pom.xml");
        if (!Files.isRegularFile(cached)
                || Files.getLastModifiedTime(cached).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            resolveClasspath(pom, cached);
        }
        return Files.readString(cached).strip();
    }

    private void resolveClasspath(Path pom, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        // Written aside and moved, so that a parallel test JVM never reads a half-written classpath.
        Path partial = Files.createTempFile(target.getParent(), "classpath", ".tmp");
        Path log = target.resolveSibling("classpath-resolution.log");
        Process mvn = new ProcessBuilder(List.of("mvn", "-B", "-q", "-f", pom.toString(),
                "dependency:build-classpath", "-Dmdep.outputFile=" + partial))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!mvn.waitFor(RESOLVE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            mvn.destroyForcibly();
            throw new IOException("mvn did not resolve the Kafka broker classpath in time; see " + log);
        }
        if (mvn.exitValue() != 0 || Files.size(partial) == 0) {
            throw new IOException("mvn could not resolve the Kafka broker classpath:\n" + Files.readString(log));
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path devservices() {
        return projectRoot.resolve("devservices/kafka");
    }
}
