package io.edgerag.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classpath of a service the tests run as a process of its own (Kafka broker, S3Proxy), resolved by Maven
 * from the standalone pom under {@code devservices/<service>/} and cached in a file; resolved again when the pom
 * changed since.
 */
public final class DevserviceClasspath {

    private static final long RESOLVE_TIMEOUT_MINUTES = 5;

    private DevserviceClasspath() {
    }

    /** The project root: the working directory under Surefire and in IDEs, or one above it. */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("devservices"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No devservices/ above " + Path.of("").toAbsolutePath());
    }

    public static synchronized String of(Path pom, Path cached) throws IOException, InterruptedException {
        if (!Files.isRegularFile(cached)
                || Files.getLastModifiedTime(cached).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            resolve(pom, cached);
        }
        return Files.readString(cached).strip();
    }

    private static void resolve(Path pom, Path target) throws IOException, InterruptedException {
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
            throw new IOException("mvn did not resolve the classpath of " + pom + " in time; see " + log);
        }
        if (mvn.exitValue() != 0 || Files.size(partial) == 0) {
            throw new IOException("mvn could not resolve the classpath of " + pom + ":\n" + Files.readString(log));
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
