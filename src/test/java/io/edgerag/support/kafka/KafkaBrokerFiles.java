package io.edgerag.support.kafka;

import io.edgerag.support.DevserviceClasspath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a broker process is launched from: {@code devservices/kafka/} of the project (pom, log4j2 config,
 * server.properties template) and the broker classpath that Maven resolves from that pom.
 * The classpath is cached in {@code target/kafka-broker/classpath.txt}, the same file {@code devservices/kafka.sh} uses.
 */
final class KafkaBrokerFiles {

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
    String classpath() throws IOException, InterruptedException {
        return DevserviceClasspath.of(devservices().resolve("pom.xml"), workDir().resolve("classpath.txt"));
    }

    private Path devservices() {
        return projectRoot.resolve("devservices/kafka");
    }
}
