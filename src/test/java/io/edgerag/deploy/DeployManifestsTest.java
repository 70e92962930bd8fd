package io.edgerag.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3s manifests, kustomize overlays and Dockerfiles against each other and against the app's own
 * configuration (no cluster and no Docker engine here, so this is what keeps them honest): every
 * manifest parses; overlays point at files and resources that exist; images are pinned; probes hit
 * the health endpoints on the port the app listens on; the data volume is mounted where
 * {@code edgerag.data-dir} points; the https component mounts the TLS Secret where the app's profile
 * {@code https} reads it and probes over HTTPS; the Jetson overlay puts Ollama on the GPU; both Dockerfiles run as
 * the same non-root user with the same port and paths.
 */
class DeployManifestsTest {

    private static final Path K3S = Path.of("k3s");
    private static final Path BASE = K3S.resolve("base");
    private static final List<Path> DOCKERFILES = List.of(Path.of("docker/Dockerfile.jvm"), Path.of("docker/Dockerfile.native"));

    // ---- manifests ------------------------------------------------------------------------------

    @Test
    void should_parse_every_manifest_with_kind_and_name() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path f : files) {
            List<Map<String, Object>> docs = load(f);
            assertThat(docs).as(f.toString()).isNotEmpty();
            for (Map<String, Object> d : docs) {
                assertThat(d).as(f.toString()).containsKeys("apiVersion", "kind");
                if (!"Kustomization".equals(d.get("kind"))) {
                    assertThat(str(d, "metadata.name")).as(f + " metadata.name").isNotBlank();
                }
            }
        }
    }

    @Test
    void should_point_overlays_at_existing_files_and_patch_existing_containers() throws IOException {
        for (Path kustomization : List.of(BASE.resolve("kustomization.yaml"),
                K3S.resolve("overlays/x86/kustomization.yaml"), K3S.resolve("overlays/jetson/kustomization.yaml"))) {
            Map<String, Object> k = load(kustomization).get(0);
            Path dir = kustomization.getParent();
            for (Object r : list(k, "resources")) {
                Path p = dir.resolve(r.toString()).normalize();
                assertThat(Files.isRegularFile(p) || Files.isRegularFile(p.resolve("kustomization.yaml")))
                        .as(kustomization + " resource " + r).isTrue();
            }
            List<Map<String, Object>> all = rendered(dir);
            for (Object patch : list(k, "patches")) {
                Path p = dir.resolve(str(map(patch), "path"));
                Map<String, Object> target = load(p).get(0);
                Map<String, Object> patched = find(all, str(target, "kind"), str(target, "metadata.name"));
                assertThat(patched).as(p + " targets an existing resource").isNotNull();
                for (Object c : list(target, "spec.template.spec.containers")) {
                    assertThat(containers(patched)).as(p + " container").extracting(x -> x.get("name"))
                            .contains(map(c).get("name"));
                }
            }
        }
    }

    @Test
    void should_wire_the_appliance_to_the_apps_port_health_endpoints_data_dir_and_keys() throws IOException {
        Properties app = applicationProperties();
        int port = Integer.parseInt(app.getProperty("quarkus.http.port"));
        List<Map<String, Object>> base = rendered(BASE);
        Map<String, Object> deployment = find(base, "StatefulSet", "edgerag");
        Map<String, Object> c = containers(deployment).get(0);

        assertThat(str(c, "image")).startsWith("edgerag:");
        Map<String, Object> http = list(c, "ports").stream().map(DeployManifestsTest::map)
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertThat(http.get("containerPort")).isEqualTo(port);
        assertThat(str(c, "livenessProbe.httpGet.path")).isEqualTo("/q/health/live");
        assertThat(str(c, "readinessProbe.httpGet.path")).isEqualTo("/q/health/ready");
        assertThat(str(c, "livenessProbe.httpGet.port")).isEqualTo("http");
        assertThat(str(c, "readinessProbe.httpGet.port")).isEqualTo("http");
        assertThat(str(find(base, "Service", "edgerag"), "spec.ports.0.targetPort")).isEqualTo("http");

        Map<String, String> env = env(c);
        // every EDGERAG_* variable is the environment form of a key the app knows
        for (String var : env.keySet().stream().filter(v -> v.startsWith("EDGERAG_")).toList()) {
            assertThat(app.stringPropertyNames()).as(var).anyMatch(key -> envName(key).equals(var));
        }
        String dataDir = env.get(envName("edgerag.data-dir"));
        Map<String, Object> dataMount = mountAt(c, dataDir);
        assertThat(dataMount).as("a volume mounted at " + dataDir).isNotNull();
        assertThat(list(deployment, "spec.volumeClaimTemplates").stream().map(DeployManifestsTest::map)
                .map(t -> str(t, "metadata.name"))).as("a claim template for the data volume").contains(str(dataMount, "name"));
        assertThat(find(base, "Service", str(deployment, "spec.serviceName"))).as("governing service").isNotNull();

        String ollama = env.get(envName("edgerag.ollama.base-url"));
        Matcher hostPort = Pattern.compile("http://([a-z0-9-]+):(\\d+)").matcher(ollama);
        assertThat(hostPort.matches()).as(ollama).isTrue();
        Map<String, Object> ollamaService = find(base, "Service", hostPort.group(1));
        assertThat(ollamaService).as("Service " + hostPort.group(1)).isNotNull();
        assertThat(str(ollamaService, "spec.ports.0.port")).isEqualTo(hostPort.group(2));

        Path keys = Path.of(env.get("QUARKUS_CONFIG_LOCATIONS"));
        Map<String, Object> keysMount = mountAt(c, keys.getParent().toString());
        Map<String, Object> secret = find(base, "Secret", str(volume(deployment, str(keysMount, "name")), "secret.secretName"));
        assertThat(map(secret.get("stringData"))).containsKey(keys.getFileName().toString());

        Map<String, Object> policy = find(base, "NetworkPolicy", "edgerag");
        assertThat(str(policy, "spec.ingress.0.ports.0.port")).isEqualTo(String.valueOf(port));
        assertThat(str(policy, "spec.egress.0.ports.0.port")).isEqualTo(hostPort.group(2));
        assertThat(str(deployment, "spec.template.spec.securityContext.runAsUser")).isEqualTo(dockerUser(DOCKERFILES.get(0)));
    }

    @Test
    void should_serve_https_from_the_tls_secret_where_the_https_profile_reads_it() throws IOException {
        Properties app = applicationProperties();
        Path component = K3S.resolve("components/https");
        List<Map<String, Object>> all = rendered(BASE);
        for (Object patch : list(load(component.resolve("kustomization.yaml")).get(0), "patches")) {
            Map<String, Object> target = load(component.resolve(str(map(patch), "path"))).get(0);
            Map<String, Object> resource = find(all, str(target, "kind"), str(target, "metadata.name"));
            assertThat(resource).as(patch + " targets an existing resource").isNotNull();
            merge(resource, target);
        }
        Map<String, Object> statefulSet = find(all, "StatefulSet", "edgerag");
        Map<String, Object> c = containers(statefulSet).get(0);

        assertThat(env(c).get("QUARKUS_PROFILE")).contains("https");
        String sslPort = app.getProperty("%https.quarkus.http.ssl-port");
        Map<String, Object> https = list(c, "ports").stream().map(DeployManifestsTest::map)
                .filter(p -> "https".equals(p.get("name"))).findFirst().orElseThrow();
        assertThat(String.valueOf(https.get("containerPort"))).isEqualTo(sslPort);
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(str(c, probe + ".httpGet.port")).as(probe).isEqualTo("https");
            assertThat(str(c, probe + ".httpGet.scheme")).as(probe).isEqualTo("HTTPS");
        }
        // the certificate and key paths the profile defaults to lie in the mounted TLS Secret (tls.crt, tls.key)
        for (String key : List.of("%https.quarkus.tls.https.key-store.pem.api.cert", "%https.quarkus.tls.https.key-store.pem.api.key")) {
            Matcher fallback = Pattern.compile("\\$\\{[A-Z_]+:(.+)}").matcher(app.getProperty(key));
            assertThat(fallback.matches()).as(key).isTrue();
            Path file = Path.of(fallback.group(1));
            Map<String, Object> mount = mountAt(c, file.getParent().toString());
            assertThat(mount).as("a volume mounted at " + file.getParent()).isNotNull();
            assertThat(str(volume(statefulSet, str(mount, "name")), "secret.secretName")).isEqualTo("edgerag-tls");
            assertThat(file.getFileName().toString()).isIn("tls.crt", "tls.key");
        }
        assertThat(str(find(all, "Service", "edgerag"), "spec.ports.0.targetPort")).isEqualTo("https");
        assertThat(str(find(all, "NetworkPolicy", "edgerag"), "spec.ingress.0.ports.0.port")).isEqualTo(sslPort);
    }

    @Test
    void should_put_ollama_on_the_gpu_with_the_nvidia_runtime_only_on_jetson() throws IOException {
        List<Map<String, Object>> jetson = rendered(K3S.resolve("overlays/jetson"));
        Map<String, Object> ollama = find(jetson, "Deployment", "ollama");
        assertThat(str(ollama, "spec.template.spec.runtimeClassName")).isEqualTo("nvidia");
        assertThat(find(jetson, "RuntimeClass", "nvidia")).isNotNull();
        assertThat(str(containers(ollama).get(0), "resources.limits.nvidia\\.com/gpu")).isEqualTo("1");
        assertThat(str(ollama, "spec.template.spec.nodeSelector.kubernetes\\.io/arch")).isEqualTo("arm64");
        assertThat(str(find(jetson, "StatefulSet", "edgerag"), "spec.template.spec.nodeSelector.kubernetes\\.io/arch"))
                .isEqualTo("arm64");
        assertThat(str(ollama, "spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey"))
                .as("Ollama on the appliance's node").isEqualTo("kubernetes.io/hostname");

        List<Map<String, Object>> x86 = rendered(K3S.resolve("overlays/x86"));
        Map<String, Object> cpuOllama = find(x86, "Deployment", "ollama");
        assertThat(str(cpuOllama, "spec.template.spec.runtimeClassName")).isNull();
        assertThat(str(containers(cpuOllama).get(0), "resources.limits.nvidia\\.com/gpu")).isNull();
        assertThat(str(find(x86, "StatefulSet", "edgerag"), "spec.template.spec.nodeSelector.kubernetes\\.io/arch"))
                .isEqualTo("amd64");
    }

    @Test
    void should_pin_every_image_of_every_overlay() throws IOException {
        for (String overlay : List.of("x86", "jetson")) {
            List<Map<String, Object>> all = rendered(K3S.resolve("overlays/" + overlay));
            List<String> images = all.stream().filter(DeployManifestsTest::hasPods)
                    .flatMap(d -> containers(d).stream()).map(c -> str(c, "image")).toList();
            assertThat(images).as(overlay).hasSize(2).allSatisfy(DeployManifestsTest::assertPinned);
        }
    }

    // ---- Dockerfiles ----------------------------------------------------------------------------

    @Test
    void should_build_on_pinned_bases_and_run_as_the_same_non_root_user_port_and_data_dir() throws IOException {
        Properties app = applicationProperties();
        String dataMount = env(containers(find(rendered(BASE), "StatefulSet", "edgerag")).get(0)).get("EDGERAG_DATA_DIR");
        for (Path f : DOCKERFILES) {
            String text = Files.readString(f);
            assertThat(text).as(f + " opens with its build and run commands").startsWith("#")
                    .contains("docker buildx build -f " + f, "docker run");
            List<String> froms = lines(text, "FROM");
            assertThat(froms).as(f + " FROM").isNotEmpty();
            for (String from : froms) {
                assertPinned(from.split("\\s+")[0]);
            }
            assertThat(dockerUser(f)).as(f + " USER").matches("[1-9][0-9]*");
            assertThat(lines(text, "EXPOSE")).as(f.toString()).containsExactly(app.getProperty("quarkus.http.port"));
            String env = String.join(" ", lines(text, "ENV"));
            assertThat(env).as(f.toString()).contains("EDGERAG_DATA_DIR=" + dataMount).contains("QUARKUS_HTTP_HOST=0.0.0.0");
            assertThat(lines(text, "VOLUME")).as(f.toString()).containsExactly(dataMount);
        }
        assertThat(dockerUser(DOCKERFILES.get(0))).isEqualTo(dockerUser(DOCKERFILES.get(1)));
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void assertPinned(String image) {
        assertThat(image).as("image " + image).doesNotEndWith(":latest")
                .matches(".+(@sha256:[0-9a-f]{64}|:[^/:]*[0-9][^/:]*)");
    }

    /**
     * The resources of a kustomization directory: its own files and those of the kustomizations it
     * names, with its strategic-merge patches (maps merged, containers by name) and image overrides
     * applied. Enough of kustomize for these manifests; not a general implementation.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rendered(Path dir) throws IOException {
        Map<String, Object> k = load(dir.resolve("kustomization.yaml")).get(0);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : list(k, "resources")) {
            Path p = dir.resolve(r.toString()).normalize();
            out.addAll(Files.isDirectory(p) ? rendered(p) : load(p));
        }
        for (Object patch : list(k, "patches")) {
            Map<String, Object> target = load(dir.resolve(str(map(patch), "path"))).get(0);
            Map<String, Object> resource = find(out, str(target, "kind"), str(target, "metadata.name"));
            merge(resource, target);
        }
        for (Object i : list(k, "images")) {
            Map<String, Object> image = map(i);
            for (Map<String, Object> r : out) {
                if (!hasPods(r)) {
                    continue;
                }
                for (Map<String, Object> c : containers(r)) {
                    String current = str(c, "image");
                    String name = current.contains(":") ? current.substring(0, current.lastIndexOf(':')) : current;
                    if (name.equals(image.get("name"))) {
                        String newName = (String) image.getOrDefault("newName", name);
                        c.put("image", newName + ":" + Objects.requireNonNull(image.get("newTag"), "newTag"));
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object have = into.get(e.getKey());
            if (have instanceof Map && e.getValue() instanceof Map) {
                merge((Map<String, Object>) have, (Map<String, Object>) e.getValue());
            } else if (have instanceof List && e.getValue() instanceof List && e.getKey().equals("containers")) {
                for (Object pc : (List<Object>) e.getValue()) {
                    Map<String, Object> patchContainer = map(pc);
                    ((List<Object>) have).stream().map(DeployManifestsTest::map)
                            .filter(c -> c.get("name").equals(patchContainer.get("name")))
                            .findFirst().ifPresent(c -> merge(c, patchContainer));
                }
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    static boolean hasPods(Map<String, Object> resource) {
        return List.of("Deployment", "StatefulSet").contains(resource.get("kind"));
    }

    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(K3S)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object d : new Yaml().loadAll(r)) {
                if (d != null) {
                    docs.add((Map<String, Object>) d);
                }
            }
        }
        return docs;
    }

    static Map<String, Object> find(List<Map<String, Object>> all, String kind, String name) {
        return all.stream().filter(r -> kind.equals(r.get("kind")) && name != null && name.equals(str(r, "metadata.name")))
                .findFirst().orElse(null);
    }

    static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return list(deployment, "spec.template.spec.containers").stream().map(DeployManifestsTest::map).toList();
    }

    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(container, "env")) {
            env.put(str(map(e), "name"), str(map(e), "value"));
        }
        return env;
    }

    static Map<String, Object> mountAt(Map<String, Object> container, String path) {
        return list(container, "volumeMounts").stream().map(DeployManifestsTest::map)
                .filter(m -> path != null && path.equals(m.get("mountPath"))).findFirst().orElse(null);
    }

    static Map<String, Object> volume(Map<String, Object> deployment, String name) {
        return list(deployment, "spec.template.spec.volumes").stream().map(DeployManifestsTest::map)
                .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow();
    }

    /** A dotted path into nested maps and lists ({@code \\.} for a literal dot); null when absent. */
    static Object at(Map<String, Object> root, String path) {
        Object cur = root;
        for (String part : path.split("(?<!\\\\)\\.")) {
            part = part.replace("\\.", ".");
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(part);
            } else if (cur instanceof List<?> l && part.matches("\\d+")) {
                int i = Integer.parseInt(part);
                cur = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return cur;
    }

    static String str(Map<String, Object> root, String path) {
        Object v = root == null ? null : at(root, path);
        return v == null ? null : v.toString();
    }

    static List<Object> list(Map<String, Object> root, String path) {
        Object v = at(root, path);
        return v instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** MicroProfile Config's environment-variable form of a property key. */
    static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** Arguments of every {@code INSTRUCTION} line (continuations are not used for these). */
    static List<String> lines(String dockerfile, String instruction) {
        return dockerfile.lines().filter(l -> l.startsWith(instruction + " "))
                .map(l -> l.substring(instruction.length() + 1).trim()).toList();
    }

    /** The user of the final stage. */
    static String dockerUser(Path dockerfile) throws IOException {
        List<String> users = lines(Files.readString(dockerfile), "USER");
        return users.isEmpty() ? null : users.get(users.size() - 1);
    }
}
