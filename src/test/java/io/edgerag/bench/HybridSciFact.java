package io.edgerag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgerag.embedding.Embedder;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.pinecone.PineconeCloudVectorStore;
import io.edgerag.store.cloud.pinecone.PineconeSettings;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreConfig;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.Upsert;
import io.edgerag.store.local.faiss.FaissLocalStore;
import io.edgerag.support.pinecone.PineconeStandInServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Issue 5's partitioned-corpus test: half of SciFact on the edge, all of it in the cloud.
 *
 * <p>{@code bench/hybrid-scifact.sh} runs this. It embeds SciFact once ({@link SciFactChunks}: the
 * appliance's chunking and model, cached), starts the Pinecone stand-in ({@link PineconeStandInServer},
 * NOT Pinecone) on 127.0.0.1 and writes every chunk to it through the real adapter
 * ({@link PineconeCloudVectorStore}) in namespace {@code scifact} (the collection the queries name), then
 * runs the packaged appliance ({@code target/quarkus-app/quarkus-run.jar}) several times, each on a fresh
 * data dir whose store is filled offline (as {@link PrefillStore} does: same chunk ids {@code docId#i},
 * same vectors), and sends the SciFact test queries to {@code POST /api/search} (k = 100):
 * <ol>
 *   <li>{@code local-half}: the edge holds the documents whose SHA-256(docId) has an even last byte; cloud off;</li>
 *   <li>{@code hybrid-always}: same edge, cloud = stand-in with everything, τ = 2 (every query falls back),
 *       a generous cloud budget so the stand-in's speed does not decide quality;</li>
 *   <li>{@code all-local}: the whole corpus on the edge; cloud off;</li>
 *   <li>{@code hybrid τ*}: τ chosen from the sweep below, generous budget (checks the simulation), and
 *       again with the default 200 ms budget.</li>
 * </ol>
 * The τ sweep is computed offline from runs 1 and 2: for a query whose best local cosine (top score of
 * run 1) is ≥ τ the appliance answers run 1's list, otherwise it falls back and answers run 2's list
 * (the same local list merged with the same cloud list) — exactly what a run with that τ returns.
 *
 * <p>System properties: {@code bench.jar}, {@code bench.port} (18093), {@code bench.queries} (0 = all 300),
 * {@code bench.out} (report directory), {@code bench.generous-budget} (30s), {@code edgerag.embedding.model}.
 */
public final class HybridSciFact {

    static final String COLLECTION = "scifact";
    static final String API_KEY = "stand-in-key";
    static final double ALWAYS = 2.0;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path jar;
    private final int port;
    private final String model;
    private final String generousBudget;
    private final Path runDir;

    HybridSciFact(Path jar, int port, String model, String generousBudget, Path runDir) {
        this.jar = jar;
        this.port = port;
        this.model = model;
        this.generousBudget = generousBudget;
        this.runDir = runDir;
    }

    /** One query's answer: doc ids in rank order (a doc's rank is its best chunk's), best score, cloud status. */
    record Answer(List<String> docs, double bestScore, double bestLocalScore, String cloudStatus, double ms,
                  int cloudPassagesInTop10) {
    }

    record Run(String name, Map<String, Answer> answers) {
        double fallbackRate() {
            return answers.values().stream().filter(a -> !a.cloudStatus().equals("skipped")
                    && !a.cloudStatus().equals("disabled")).count() / (double) answers.size();
        }

        Map<String, Long> statuses() {
            Map<String, Long> out = new TreeMap<>();
            answers.values().forEach(a -> out.merge(a.cloudStatus(), 1L, Long::sum));
            return out;
        }

        double percentileMs(double p) {
            double[] ms = answers.values().stream().mapToDouble(Answer::ms).sorted().toArray();
            return SciFactOverHttp.percentile(ms, p);
        }
    }

    record Score(double ndcg10, double recall100) {
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            bench();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        }
        // the store's and the gRPC client's executors are not daemons: leave no JVM behind
        System.exit(status);
    }

    static void bench() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        int port = Integer.getInteger("bench.port", 18093);
        int queryLimit = Integer.getInteger("bench.queries", 0);
        Path out = Path.of(System.getProperty("bench.out", "target/bench-cache/hybrid"));
        String budget = System.getProperty("bench.generous-budget", "30s");
        String model = BenchEmbedder.config().embedding().model();

        SciFact data = SciFact.load(requireData());
        Map<String, String> queries = new LinkedHashMap<>();
        data.testQueries().entrySet().stream().limit(queryLimit > 0 ? queryLimit : Long.MAX_VALUE)
                .forEach(e -> queries.put(e.getKey(), e.getValue()));

        List<SciFactChunks.Chunk> chunks = SciFactChunks.loadOrEmbed(Path.of(System.getProperty("bench.cache",
                "target/bench-cache")));
        Map<String, List<SciFactChunks.Chunk>> byDoc = new LinkedHashMap<>();
        chunks.forEach(c -> byDoc.computeIfAbsent(c.docId(), d -> new ArrayList<>()).add(c));
        Set<String> edgeDocs = new LinkedHashSet<>();
        byDoc.keySet().stream().filter(HybridSciFact::onEdge).forEach(edgeDocs::add);
        int dim = chunks.get(0).vector().length;
        long edgeChunks = edgeDocs.stream().mapToLong(d -> byDoc.get(d).size()).sum();
        long relevantOnEdge = data.qrels().entrySet().stream().filter(e -> queries.containsKey(e.getKey()))
                .flatMap(e -> e.getValue().stream()).filter(edgeDocs::contains).count();
        long relevantAll = data.qrels().entrySet().stream().filter(e -> queries.containsKey(e.getKey()))
                .mapToLong(e -> e.getValue().size()).sum();

        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = out.resolve(model + "-" + stamp);
        Files.createDirectories(runDir);
        HybridSciFact bench = new HybridSciFact(jar, port, model, budget, runDir);

        PineconeStandInServer standIn = new PineconeStandInServer(dim, API_KEY);
        standIn.start();
        try {
            long t0 = System.nanoTime();
            fillCloud(standIn, byDoc, model);
            System.out.printf("stand-in %s: %d chunks of %d documents in namespace '%s' (%.1f s)%n", standIn.host(),
                    chunks.size(), byDoc.size(), COLLECTION, (System.nanoTime() - t0) / 1e9);
            System.out.printf("edge half: %d of %d documents, %d of %d chunks; %d of %d relevant (query, doc) pairs "
                    + "are on the edge%n", edgeDocs.size(), byDoc.size(), edgeChunks, chunks.size(), relevantOnEdge,
                    relevantAll);

            Run half = bench.run("local-half", byDoc, edgeDocs, queries, Map.of());
            Run always = bench.run("hybrid-always", byDoc, edgeDocs, queries, cloud(standIn, ALWAYS, budget));
            Run all = bench.run("all-local", byDoc, byDoc.keySet(), queries, Map.of());

            List<double[]> sweep = new ArrayList<>();
            for (int i = 0; i <= 26; i++) {
                double tau = Math.round((0.30 + 0.025 * i) * 1000) / 1000.0;
                sweep.add(simulate(tau, half, always, data));
            }
            Score sHalf = score(half, data);
            Score sAlways = score(always, data);
            Score sAll = score(all, data);
            double chosen = choose(sweep, sHalf.ndcg10(), sAlways.ndcg10());
            Run tauGenerous = bench.run("hybrid τ=" + chosen + ", budget " + budget, byDoc, edgeDocs, queries,
                    cloud(standIn, chosen, budget));
            Run tauDefault = bench.run("hybrid τ=" + chosen + ", budget 200ms (default)", byDoc, edgeDocs, queries,
                    cloud(standIn, chosen, null));

            StringBuilder md = new StringBuilder();
            md.append(String.format("model %s, %d test queries, k = 100; edge = %d/%d documents (%d/%d chunks), cloud "
                            + "(Pinecone stand-in) = all %d chunks; %d/%d relevant pairs on the edge%n%n", model,
                    queries.size(), edgeDocs.size(), byDoc.size(), edgeChunks, chunks.size(), chunks.size(),
                    relevantOnEdge, relevantAll));
            md.append("| setup | nDCG@10 | Recall@100 | gap recovered (nDCG@10) | fallback rate | cloud status | "
                    + "search p50 / p99 ms |\n|---|---|---|---|---|---|---|\n");
            for (Run r : List.of(half, always, tauGenerous, tauDefault, all)) {
                Score s = score(r, data);
                md.append(String.format("| %s | %.4f | %.4f | %s | %.1f %% | %s | %.1f / %.1f |%n", r.name(),
                        s.ndcg10(), s.recall100(), recovered(s.ndcg10(), sHalf.ndcg10(), sAll.ndcg10()),
                        100 * r.fallbackRate(), r.statuses(), r.percentileMs(0.5), r.percentileMs(0.99)));
            }
            md.append(String.format("%nτ sweep (simulated from local-half and hybrid-always; fallback = best local "
                    + "cosine < τ):%n%n| τ | fallback rate | nDCG@10 | Recall@100 | gap recovered |%n|---|---|---|---|---|%n"));
            for (double[] row : sweep) {
                md.append(String.format("| %.3f | %.1f %% | %.4f | %.4f | %s |%n", row[0], 100 * row[1], row[2], row[3],
                        recovered(row[2], sHalf.ndcg10(), sAll.ndcg10())));
            }
            double[] chosenRow = simulate(chosen, half, always, data);
            md.append(String.format("%nchosen τ = %.3f (knee: the τ maximising share of the always-fallback nDCG@10 gain "
                            + "recovered minus fallback rate): simulated nDCG@10 %.4f, measured %.4f%n", chosen, chosenRow[2],
                    score(tauGenerous, data).ndcg10()));
            md.append(bestLocalHistogram(half, data, edgeDocs));
            System.out.println();
            System.out.print(md);
            Files.writeString(runDir.resolve("report.md"), md);
            for (Run r : List.of(half, always, all, tauGenerous, tauDefault)) {
                writeAnswers(runDir.resolve(r.name().replaceAll("[^A-Za-z0-9.=-]+", "_") + ".tsv"), r);
            }
            System.out.println("report: " + runDir.resolve("report.md"));
        } finally {
            standIn.stop();
        }
    }

    /** The edge's half: documents whose SHA-256(docId) ends in an even byte (deterministic, ~50 %). */
    static boolean onEdge(String docId) {
        return (sha256(docId)[31] & 1) == 0;
    }

    private static Path requireData() {
        Path dir = SciFact.locate();
        if (dir == null) {
            throw new IllegalStateException("SciFact not found: set SCIFACT_DIR or run beside shared/data/scifact");
        }
        return dir;
    }

    /**
     * Every chunk, through the real adapter, as the cloud sink writes it (CloudRecord.chunk, with the model that made
     * its vector: the appliance asks the cloud for its own model's records only).
     */
    static void fillCloud(PineconeStandInServer standIn, Map<String, List<SciFactChunks.Chunk>> byDoc, String model) {
        List<CloudRecord> records = new ArrayList<>();
        byDoc.forEach((docId, doc) -> {
            for (int i = 0; i < doc.size(); i++) {
                SciFactChunks.Chunk c = doc.get(i);
                records.add(CloudRecord.chunk(docId + "#" + i, docId, c.vector(), c.text(),
                        HexFormat.of().formatHex(sha256(c.text())), c.title(), "scifact", 1L, "bench")
                        .with(io.edgerag.sync.cloud.CloudSink.EMBEDDING_MODEL, model));
            }
        });
        try (PineconeCloudVectorStore store = new PineconeCloudVectorStore(
                PineconeSettings.defaults(standIn.host(), API_KEY, false).withCallTimeout(Duration.ofSeconds(30)))) {
            store.upsert(COLLECTION, records).await().atMost(Duration.ofMinutes(5));
            long count = store.stats(COLLECTION).await().atMost(Duration.ofSeconds(30)).recordCount();
            if (count != records.size()) {
                throw new IllegalStateException("stand-in holds " + count + " records, wrote " + records.size());
            }
        }
    }

    /** Appliance settings for a hybrid run; {@code budget} null = the default (200 ms). */
    static Map<String, String> cloud(PineconeStandInServer standIn, double tau, String budget) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("edgerag.cloud.store", "pinecone");
        p.put("edgerag.cloud.pinecone.index-host", standIn.host());
        p.put("edgerag.cloud.pinecone.tls", "false");
        p.put("edgerag.retrieval.cloud-fallback-threshold", Double.toString(tau));
        if (budget != null) {
            p.put("edgerag.retrieval.cloud-budget", budget);
            p.put("edgerag.cloud.pinecone.call-timeout", budget);
        }
        return p;
    }

    /** Starts the appliance on a fresh data dir holding {@code docs}, asks every query, stops it. */
    Run run(String name, Map<String, List<SciFactChunks.Chunk>> byDoc, Set<String> docs, Map<String, String> queries,
            Map<String, String> settings) throws Exception {
        Path data = Files.createTempDirectory(runDir, "data-");
        long t0 = System.nanoTime();
        prefill(data.resolve("store"), byDoc, docs);
        List<String> cmd = new ArrayList<>(List.of("java", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1", "-Dedgerag.data-dir=" + data, "-Dedgerag.embedding.model=" + model,
                "-Dedgerag.ingest.sample-corpus-on-first-run=false", "-Dedgerag.retrieval.max-k=100"));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(data.resolve("server.log").toFile());
        if (!settings.isEmpty()) {
            pb.environment().put("EDGERAG_CLOUD_PINECONE_API_KEY", API_KEY);
        }
        Process appliance = pb.start();
        Thread reaper = new Thread(appliance::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            waitReady(base, appliance, data.resolve("server.log"));
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Answer> answers = new LinkedHashMap<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                answers.put(q.getKey(), search(base, q.getValue()));
            }
            Run r = new Run(name, answers);
            System.out.printf("  %-40s prefill+start %.0f s, %d queries, fallback %.1f %%, %s, p50 %.1f ms%n", name,
                    startSeconds, answers.size(), 100 * r.fallbackRate(), r.statuses(), r.percentileMs(0.5));
            return r;
        } finally {
            appliance.destroy();
            if (!appliance.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                appliance.destroyForcibly().waitFor();
            }
            Runtime.getRuntime().removeShutdownHook(reaper);
            deleteTree(data.resolve("store"));
        }
    }

    /** The store as ingest would leave it for these documents: chunk i of a document is {@code docId#i}. */
    private void prefill(Path storeDir, Map<String, List<SciFactChunks.Chunk>> byDoc, Set<String> docs) throws Exception {
        int dim = byDoc.values().iterator().next().get(0).vector().length;
        try (DurableVectorStore store = FaissLocalStore.open(StoreConfig.builder(storeDir, dim).build())) {
            List<Mutation> batch = new ArrayList<>();
            for (String docId : docs) {
                List<SciFactChunks.Chunk> doc = byDoc.get(docId);
                List<ChunkRecord> chunks = new ArrayList<>(doc.size());
                for (int i = 0; i < doc.size(); i++) {
                    chunks.add(new ChunkRecord(docId + "#" + i, doc.get(i).text(), null, doc.get(i).vector()));
                }
                batch.add(new Upsert(new DocumentRecord(docId, doc.get(0).title(), "scifact", COLLECTION, Map.of(),
                        "bench-" + docId, model, Embedder.SCHEMA_VERSION, chunks)));
                if (batch.size() == 1000) {
                    store.apply(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                store.apply(batch);
            }
        }
    }

    private void waitReady(URI base, Process appliance, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!appliance.isAlive()) {
                throw new IllegalStateException("appliance exited with " + appliance.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("appliance not ready after 4 min; see " + log);
    }

    private Answer search(URI base, String query) throws Exception {
        ObjectNode body = json.createObjectNode().put("query", query).put("k", 100).put("collection", COLLECTION);
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/search"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/api/search answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = json.readTree(response.body());
        Set<String> ranked = new LinkedHashSet<>();
        double best = Double.NEGATIVE_INFINITY;
        double bestLocal = Double.NEGATIVE_INFINITY;
        int cloudTop10 = 0;
        int i = 0;
        for (JsonNode r : answer.get("results")) {
            ranked.add(r.get("docId").asText());
            double s = r.get("score").asDouble();
            best = Math.max(best, s);
            if ("local".equals(r.get("tier").asText())) {
                bestLocal = Math.max(bestLocal, s);
            } else if (i < 10) {
                cloudTop10++;
            }
            i++;
        }
        return new Answer(new ArrayList<>(ranked), best, bestLocal, answer.get("cloudStatus").asText(), ms, cloudTop10);
    }

    static Score score(Run run, SciFact data) {
        double ndcg = 0;
        double recall = 0;
        for (Map.Entry<String, Answer> a : run.answers().entrySet()) {
            Set<String> relevant = data.qrels().get(a.getKey());
            ndcg += SciFact.ndcgAt(10, a.getValue().docs(), relevant);
            recall += SciFact.recallAt(100, a.getValue().docs(), relevant);
        }
        return new Score(ndcg / run.answers().size(), recall / run.answers().size());
    }

    /** {τ, fallback rate, nDCG@10, Recall@100} of a run with this τ, from the local-only and always-fallback runs. */
    static double[] simulate(double tau, Run local, Run always, SciFact data) {
        Map<String, Answer> picked = new LinkedHashMap<>();
        int fallbacks = 0;
        for (Map.Entry<String, Answer> a : local.answers().entrySet()) {
            boolean fallback = a.getValue().bestScore() < tau;
            fallbacks += fallback ? 1 : 0;
            picked.put(a.getKey(), fallback ? always.answers().get(a.getKey()) : a.getValue());
        }
        Score s = score(new Run("τ=" + tau, picked), data);
        return new double[] {tau, fallbacks / (double) picked.size(), s.ndcg10(), s.recall100()};
    }

    /**
     * The knee of the recovery-vs-fallback curve: the τ on the grid that maximises (share of the gap
     * recovered − fallback rate), the gap being what always falling back gains over local-only. Falling
     * back for a random share f of the queries would recover about f of the gap, so this is the τ whose
     * fallbacks are best spent relative to chance; past it, each extra fallback buys less than its share.
     */
    static double choose(List<double[]> sweep, double local, double always) {
        double best = Double.NEGATIVE_INFINITY;
        double chosen = sweep.get(sweep.size() - 1)[0];
        for (double[] r : sweep) {
            double gain = always - local <= 0 ? 0 : (r[2] - local) / (always - local);
            if (gain - r[1] > best + 1e-9) {
                best = gain - r[1];
                chosen = r[0];
            }
        }
        return chosen;
    }

    static String recovered(double value, double half, double all) {
        return all - half <= 0 ? "–" : String.format("%.0f %%", 100 * (value - half) / (all - half));
    }

    /**
     * Best local cosine per query, split by whether any relevant document is on the edge: how well the
     * local score tells "the answer is here" from "it is elsewhere".
     */
    static String bestLocalHistogram(Run local, SciFact data, Set<String> edgeDocs) {
        StringBuilder md = new StringBuilder(String.format("%nBest local cosine (local-half) by where the relevant "
                + "documents are:%n%n| best local cosine | queries with a relevant doc on the edge | queries with "
                + "none on the edge |%n|---|---|---|%n"));
        double[] edges = {0.0, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 1.01};
        for (int b = 0; b < edges.length - 1; b++) {
            int here = 0;
            int away = 0;
            for (Map.Entry<String, Answer> a : local.answers().entrySet()) {
                double s = a.getValue().bestScore();
                if (s >= edges[b] && s < edges[b + 1]) {
                    if (data.qrels().get(a.getKey()).stream().anyMatch(edgeDocs::contains)) {
                        here++;
                    } else {
                        away++;
                    }
                }
            }
            md.append(String.format("| %.2f–%.2f | %d | %d |%n", edges[b], Math.min(1.0, edges[b + 1]), here, away));
        }
        return md.toString();
    }

    private static void writeAnswers(Path file, Run run) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            out.println("query\tcloudStatus\tbestScore\tbestLocalScore\tcloudInTop10\tms\ttop10");
            run.answers().forEach((q, a) -> out.printf("%s\t%s\t%.4f\t%.4f\t%d\t%.1f\t%s%n", q, a.cloudStatus(),
                    a.bestScore(), a.bestLocalScore(), a.cloudPassagesInTop10(), a.ms(),
                    String.join(",", a.docs().subList(0, Math.min(10, a.docs().size())))));
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
