package io.edgerag.bench;

import io.edgerag.store.local.faiss.FaissLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vector-index benchmark: FAISS (flat, HNSW32, IVF-PQ) through the project's binding against
 * LangChain4j's InMemoryEmbeddingStore and Lucene 9.12 HNSW, on SciFact embeddings repeated with noise
 * (see {@link Dataset}). Run it with {@code bench/vector-index.sh}; results in {@code bench/README.md}.
 *
 * <pre>
 * args: [--sizes 100000,1000000] [--engines flat,hnsw,ivfpq,inmemory,lucene16,lucene32] [--seconds 3]
 *       [--target-recall 0.95] [--jni] [--cache target/bench-cache]
 * </pre>
 */
public final class VectorIndexBench {

    static final int K = 10;

    record Row(String engine, int n, String knob, double buildS, double qps1, double qps2, double p50, double p99,
               double recall, long rssDelta, long heapDelta, long indexBytes, String note) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        int[] sizes = Arrays.stream(opt.getOrDefault("sizes", "100000").split(",")).mapToInt(Integer::parseInt).toArray();
        List<String> engines = List.of(opt.getOrDefault("engines", "flat,hnsw,ivfpq,inmemory,lucene16,lucene32").split(","));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "3"));
        double target = Double.parseDouble(opt.getOrDefault("target-recall", "0.95"));
        Path cache = Path.of(opt.getOrDefault("cache", "target/bench-cache"));
        Path scratch = cache.resolve("scratch");
        Files.createDirectories(scratch);

        FaissLibrary.Variant variant = FaissLibrary.load();
        System.out.printf("# Vector index benchmark — %s, FAISS variant %s, %d CPUs, Java %s, max heap %d MB%n%n",
                LocalDate.now(), variant, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);

        for (int n : sizes) {
            long t0 = System.nanoTime();
            Dataset data = Dataset.build(cache, n, 42);
            System.err.printf("data set n=%d built in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            long[] truth = GroundTruth.exactTopK(data, K);
            int sample = 20;
            int agree = GroundTruth.verify(data, truth, K, sample);
            System.out.printf("## n = %,d × %d (%d queries: %d SciFact test queries + %d noisy held-out abstracts)%n%n"
                    + "Ground truth: FAISS Flat exact top-%d; spot check against Java dot products: %d/%d queries agree.%n%n",
                    n, Dataset.DIM, data.nq, data.realQueries, data.nq - data.realQueries, K, agree, sample);

            List<Row> rows = new ArrayList<>();
            for (String e : engines) {
                Contender c = contender(e, n, scratch);
                if (c == null) {
                    continue;
                }
                System.err.printf("running %s at n=%d%n", c.name(), n);
                rows.add(run(c, data, truth, target, seconds));
                System.err.println("  " + rows.get(rows.size() - 1));
            }
            System.out.println(table(rows));
            System.out.println(ratios(rows));
        }
        if (opt.containsKey("jni")) {
            System.out.println(JniOverhead.measure(Dataset.build(cache, 10_000, 42)));
        }
        Stats.deleteRecursively(scratch);
    }

    private static Contender contender(String engine, int n, Path scratch) {
        return switch (engine) {
            case "flat" -> FaissContender.flat(scratch);
            case "hnsw" -> FaissContender.hnsw(scratch);
            case "ivfpq" -> FaissContender.ivfPq(n <= 200_000 ? "IVF1024,PQ48" : "IVF4096,PQ48", scratch);
            case "inmemory" -> n <= 200_000 ? new InMemoryContender() : null;
            case "lucene16" -> new LuceneContender(16, 100, scratch);
            case "lucene32" -> new LuceneContender(32, 100, scratch);
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }

    static Row run(Contender c, Dataset data, long[] truth, double target, double seconds) throws Exception {
        try (c) {
            long heap0 = Stats.heapUsedBytes();
            long rss0 = Stats.rssBytes();
            long t0 = System.nanoTime();
            c.build(data.base, data.n, Dataset.DIM);
            double buildS = (System.nanoTime() - t0) / 1e9;
            long heap1 = Stats.heapUsedBytes();
            long rss1 = Stats.rssBytes();
            c.prepareThread();

            // tune the knob: smallest value reaching the target recall, or where recall stops improving
            List<Integer> steps = c.tuningSteps();
            int chosen = steps.get(steps.size() - 1);
            if (steps.size() > 1) {
                double prev = -1;
                for (int i = 0; i < steps.size(); i++) {
                    c.tune(steps.get(i));
                    double r = Stats.recall(searchAll(c, data, null), truth, data.nq, K);
                    System.err.printf("  %s=%d recall@10=%.4f%n", c.tuningName(), steps.get(i), r);
                    if (r >= target) {
                        chosen = steps.get(i);
                        break;
                    }
                    if (c.tuningName().equals("nprobe") && prev >= 0 && r - prev < 0.002) { // IVF-PQ: PQ caps recall
                        chosen = steps.get(i - 1);
                        break;
                    }
                    prev = r;
                }
            }
            c.tune(chosen);
            searchAll(c, data, null); // warm-up at the chosen setting
            long[] nanos = new long[data.nq];
            double recall = Stats.recall(searchAll(c, data, nanos), truth, data.nq, K);
            double qps1 = qps(c, data, 1, seconds);
            double qps2 = qps(c, data, 2, seconds);
            String knob = c.tuningName().isEmpty() ? "–" : c.tuningName() + "=" + chosen;
            return new Row(c.name(), data.n, knob, buildS, qps1, qps2, Stats.percentileMs(nanos, 50),
                    Stats.percentileMs(nanos, 99), recall, rss1 - rss0, heap1 - heap0, c.indexBytes(), c.note());
        }
    }

    /** All queries once on this thread; records per-query latency when {@code nanos} is given. */
    private static long[] searchAll(Contender c, Dataset data, long[] nanos) throws Exception {
        long[] found = new long[data.nq * K];
        for (int q = 0; q < data.nq; q++) {
            float[] query = data.query(q);
            long t0 = System.nanoTime();
            long[] hits = c.search(query, K);
            if (nanos != null) {
                nanos[q] = System.nanoTime() - t0;
            }
            System.arraycopy(hits, 0, found, q * K, K);
        }
        return found;
    }

    /** Single-query searches from {@code threads} threads for {@code seconds}; queries per second. */
    static double qps(Contender c, Dataset data, int threads, double seconds) throws Exception {
        float[][] qs = new float[data.nq][];
        for (int q = 0; q < data.nq; q++) {
            qs[q] = data.query(q);
        }
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        Exception[] failure = new Exception[1];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t * data.nq / threads;
            Thread w = new Thread(() -> {
                c.prepareThread();
                long count = 0;
                try {
                    for (int i = offset; System.nanoTime() < deadline; i++) {
                        c.search(qs[i % qs.length], K);
                        count++;
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
                done.addAndGet(count);
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| engine | n | search knob | build s | QPS 1 thr | QPS 2 thr | p50 ms | p99 ms | recall@10 "
                + "| RSS Δ MB | heap Δ MB | index MB | notes |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %,d | %s | %.1f | %.0f | %.0f | %.3f | %.3f | %.3f | %s | %s | %s | %s |%n",
                    r.engine(), r.n(), r.knob(), r.buildS(), r.qps1(), r.qps2(), r.p50(), r.p99(), r.recall(),
                    Stats.mb(r.rssDelta()), Stats.mb(r.heapDelta()), Stats.mb(r.indexBytes()), r.note()));
        }
        return sb.toString();
    }

    /** QPS ratios between rows of the same run (same process, same data, same machine state). */
    static String ratios(List<Row> rows) {
        StringBuilder sb = new StringBuilder("Ratios (same process):\n\n");
        Row hnsw = find(rows, "FAISS HNSW");
        Row mem = find(rows, "InMemoryEmbeddingStore");
        for (Row r : rows) {
            if (hnsw != null && r.engine().startsWith("Lucene")) {
                sb.append(String.format("- FAISS HNSW32 / %s: %.2f× at 1 thread, %.2f× at 2 threads "
                        + "(recall %.3f vs %.3f; target ≥ 2×)%n", r.engine(), hnsw.qps1() / r.qps1(),
                        hnsw.qps2() / r.qps2(), hnsw.recall(), r.recall()));
            }
        }
        for (Row r : rows) {
            if (mem != null && r.engine().startsWith("FAISS")) {
                sb.append(String.format("- %s / InMemoryEmbeddingStore: %.1f× at 1 thread, %.1f× at 2 threads "
                        + "(target ≥ 100×)%n", r.engine(), r.qps1() / mem.qps1(), r.qps2() / mem.qps2()));
            }
        }
        return sb.toString();
    }

    private static Row find(List<Row> rows, String part) {
        return rows.stream().filter(r -> r.engine().contains(part)).findFirst().orElse(null);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(key, args[++i]);
            } else {
                m.put(key, "true");
            }
        }
        return m;
    }
}
