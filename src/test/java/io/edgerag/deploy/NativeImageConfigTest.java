package io.edgerag.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the native build without GraalVM: the native-image configuration exists, every
 * class, field and method it names is real, every generated FAISS JNI class is registered for JNI, and
 * each resource pattern matches a resource on the class path (the FAISS JNI library, the ONNX model and
 * its tokenizer). Classes are looked up without initialising them (no native library loads here).
 */
class NativeImageConfigTest {

    private static final Path CONFIG = Path.of("src/main/resources/META-INF/native-image/io.edgerag/edgerag");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_name_only_real_classes_fields_and_methods() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String file : List.of("jni-config.json", "reflect-config.json")) {
            JsonNode entries = JSON.readTree(CONFIG.resolve(file).toFile());
            assertThat(entries).as(file).isNotEmpty();
            for (JsonNode entry : entries) {
                String name = entry.path("name").asText();
                Class<?> type;
                try {
                    type = Class.forName(name, false, getClass().getClassLoader());
                } catch (ClassNotFoundException e) {
                    problems.add(file + ": no class " + name);
                    continue;
                }
                for (JsonNode f : entry.path("fields")) {
                    if (!hasField(type, f.path("name").asText())) {
                        problems.add(file + ": no field " + name + "." + f.path("name").asText());
                    }
                }
                for (JsonNode m : entry.path("methods")) {
                    String method = m.path("name").asText();
                    boolean found = method.equals("<init>") ? type.getDeclaredConstructors().length > 0
                            : Arrays.stream(type.getDeclaredMethods()).anyMatch(d -> d.getName().equals(method));
                    if (!found) {
                        problems.add(file + ": no method " + name + "." + method);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void should_register_every_generated_faiss_jni_class_for_jni() throws IOException {
        List<String> registered = JSON.readTree(CONFIG.resolve("jni-config.json").toFile()).findValuesAsText("name");
        Path jni = Path.of("target/classes/io/edgerag/store/local/faiss/jni");
        List<String> generated;
        try (Stream<Path> files = Files.walk(jni)) {
            generated = files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                    .map(p -> "io.edgerag.store.local.faiss.jni." + jni.relativize(p).toString()
                            .replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        assertThat(generated).as("generated JNI classes").contains("io.edgerag.store.local.faiss.jni.FaissIndex",
                "io.edgerag.store.local.faiss.jni.global.faiss");
        assertThat(registered).containsAll(generated);
    }

    @Test
    void should_match_the_faiss_library_and_the_embedding_models_with_its_resource_patterns() throws IOException {
        List<Pattern> patterns = JSON.readTree(CONFIG.resolve("resource-config.json").toFile()).path("resources")
                .path("includes").findValuesAsText("pattern").stream().map(Pattern::compile).toList();
        List<String> resources = classPathResources();
        for (Pattern p : patterns) {
            assertThat(resources).as("a resource matching " + p).anyMatch(r -> p.matcher(r).matches());
        }
        for (String needed : List.of("io/edgerag/store/local/faiss/linux-x86_64/libjnifaiss.so",
                "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json")) {
            assertThat(patterns).as("a pattern for " + needed).anyMatch(p -> p.matcher(needed).matches());
        }
    }

    @Test
    void should_initialise_the_jni_packages_at_run_time() throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(CONFIG.resolve("native-image.properties"))) {
            props.load(in);
        }
        assertThat(props.getProperty("Args")).contains("--initialize-at-run-time=")
                .contains("io.edgerag.store.local.faiss.jni", "org.bytedeco", "ai.onnxruntime");
    }

    private static boolean hasField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every resource name in target/classes and in the jars of the test class path. */
    private static List<String> classPathResources() throws IOException {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(Files::isRegularFile).forEach(f -> out.add(p.relativize(f).toString().replace('\\', '/')));
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        out.add(entries.nextElement().getName());
                    }
                }
            }
        }
        return out;
    }

}
