package io.edgerag.store.local.faiss;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps the NVIDIA Jetson (linux-arm64) build from rotting: {@code src/main/native/cross-arm64.sh}
 * cross-compiles FAISS and the JavaCPP JNI library for arm64 with Debian's {@code g++-aarch64-linux-gnu}
 * (FAISS cached under its own key, like the x86 build) and runs a FAISS smoke test on emulated arm64 with
 * {@code qemu-aarch64}: exact and HNSW inner-product search through FAISS's NEON and OpenBLAS paths, and the
 * JNI library loading with every symbol bound. The Java store tests do not run on arm64 (no arm64 JVM here).
 *
 * <p>Needs the packages {@code g++-aarch64-linux-gnu} and {@code qemu-user} ({@code deploy/edgerag.sh test}
 * installs them). Without them the test is skipped on a developer's machine and fails under CI
 * ({@code CI=true}), where their absence would be a broken install step.
 */
class FaissArm64CrossBuildTest {

    private static final Path OUT = Path.of("target", "arm64");
    private static final short EM_AARCH64 = 183;
    private static final short ET_DYN = 3;

    @Test
    void should_cross_compile_faiss_and_the_jni_library_for_arm64_and_pass_the_smoke_test_under_qemu() throws Exception {
        requireOnPath("aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu");
        requireOnPath("qemu-aarch64", "qemu-user");

        String log = crossBuild();

        assertThat(log).contains(
                "OK libjnifaiss.so: no undefined FAISS symbol",
                "OK IndexIDMap(IndexFlatIP) one query at a time (SIMD): 200/200",
                "OK IndexIDMap(IndexFlatIP) all queries in one batch (BLAS): 200/200",
                "OK IndexHNSWFlat (inner product) self-hits",
                "OK JNI library loads with all symbols bound",
                "OK smoke test passed under qemu-aarch64");
        assertThat(log).doesNotContain("FAIL ");
        // Read here rather than trusting the script's own readelf: what would go into an arm64 jar.
        Path jniDir = OUT.resolve("io/edgerag/store/local/faiss/linux-arm64");
        assertAarch64SharedObject(jniDir.resolve("libjnifaiss.so"));
        assertAarch64SharedObject(jniDir.resolve("libgomp.so.1"));
    }

    /** Runs the cross build; a FAISS cache miss compiles for minutes, a hit takes about one. */
    private static String crossBuild() throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Path logFile = OUT.resolve("cross-arm64.log");
        Process p = new ProcessBuilder(List.of("bash", "src/main/native/cross-arm64.sh", OUT.toString()))
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        boolean finished = p.waitFor(60, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(finished).as("cross-arm64.sh finished within 60 min\n" + log).isTrue();
        assertThat(p.exitValue()).as("cross-arm64.sh exit code\n" + log).isZero();
        return log;
    }

    private static void assertAarch64SharedObject(Path file) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 20).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getInt(0)).as(file + " ELF magic").isEqualTo(0x464c457f);
        assertThat(header.get(4)).as(file + " ELF class (2 = 64-bit)").isEqualTo((byte) 2);
        assertThat(header.get(5)).as(file + " byte order (1 = little endian)").isEqualTo((byte) 1);
        assertThat(header.getShort(16)).as(file + " ELF type (3 = shared object)").isEqualTo(ET_DYN);
        assertThat(header.getShort(18)).as(file + " machine (183 = AArch64)").isEqualTo(EM_AARCH64);
    }

    private static void requireOnPath(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(tool + " missing under CI: deploy/edgerag.sh test installs " + debianPackage);
        }
        assumeTrue(false, tool + " not installed (apt-get install " + debianPackage + "): arm64 cross build skipped");
    }
}
