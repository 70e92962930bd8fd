package io.edgerag.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark vectors with real structure: SciFact abstracts (title + text) and test queries embedded
 * once with all-MiniLM-L6-v2 (384-d) and cached as raw little-endian float32 in
 * {@code target/bench-cache/}; then {@code n} base vectors = real abstract embeddings repeated round-robin
 * with small Gaussian noise (renormalised), and queries = the 300 test-query embeddings plus noisy copies
 * of 300 held-out abstracts (never in the base set).
 */
final class Dataset {

    static final int DIM = 384;
    static final int HELD_OUT = 300;
    /** Norm of the added noise vector before renormalising (per component sigma = NOISE / sqrt(d)). */
    static final double NOISE = 0.5;

    final int n;
    final float[] base;      // n x DIM
    final float[] queries;   // nq x DIM
    final int nq;
    final int realQueries;   // the first realQueries rows are SciFact test queries

    private Dataset(int n, float[] base, float[] queries, int nq, int realQueries) {
        this.n = n;
        this.base = base;
        this.queries = queries;
        this.nq = nq;
        this.realQueries = realQueries;
    }

    float[] query(int q) {
        float[] v = new float[DIM];
        System.arraycopy(queries, q * DIM, v, 0, DIM);
        return v;
    }

    /** Builds the data set of {@code n} base vectors (deterministic for a given seed). */
    static Dataset build(Path cacheDir, int n, long seed) throws IOException {
        Embedded e = Embedded.loadOrCompute(cacheDir);
        int docs = e.corpus.length / DIM;
        Random rnd = new Random(seed);
        // choose held-out abstracts: a deterministic shuffle, the first HELD_OUT are held out
        int[] order = new int[docs];
        for (int i = 0; i < docs; i++) {
            order[i] = i;
        }
        for (int i = docs - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int sources = docs - HELD_OUT;
        float[] base = new float[Math.multiplyExact(n, DIM)];
        for (int i = 0; i < n; i++) {
            int src = order[HELD_OUT + (i % sources)];
            noisyCopy(e.corpus, src, base, i, rnd);
        }
        int realQ = e.queries.length / DIM;
        int nq = realQ + HELD_OUT;
        float[] queries = new float[nq * DIM];
        System.arraycopy(e.queries, 0, queries, 0, realQ * DIM);
        for (int h = 0; h < HELD_OUT; h++) {
            noisyCopy(e.corpus, order[h], queries, realQ + h, rnd);
        }
        return new Dataset(n, base, queries, nq, realQ);
    }

    private static void noisyCopy(float[] src, int srcRow, float[] dst, int dstRow, Random rnd) {
        double sigma = NOISE / Math.sqrt(DIM);
        double norm = 0;
        int s = srcRow * DIM;
        int d = dstRow * DIM;
        for (int j = 0; j < DIM; j++) {
            double v = src[s + j] + sigma * rnd.nextGaussian();
            dst[d + j] = (float) v;
            norm += v * v;
        }
        float inv = (float) (1.0 / Math.sqrt(norm));
        for (int j = 0; j < DIM; j++) {
            dst[d + j] *= inv;
        }
    }

    /** SciFact corpus and test-query embeddings, row-major, normalised. */
    record Embedded(float[] corpus, float[] queries) {

        static Embedded loadOrCompute(Path cacheDir) throws IOException {
            Path corpusFile = cacheDir.resolve("scifact-corpus-all-minilm-l6-v2.f32");
            Path queryFile = cacheDir.resolve("scifact-test-queries-all-minilm-l6-v2.f32");
            if (Files.isRegularFile(corpusFile) && Files.isRegularFile(queryFile)) {
                return new Embedded(read(corpusFile), read(queryFile));
            }
            Path dir = SciFact.locate();
            if (dir == null) {
                throw new IllegalStateException("SciFact not found: set SCIFACT_DIR or put it in ../shared/data/scifact");
            }
            SciFact data = SciFact.load(dir);
            System.err.printf("embedding %d SciFact abstracts and %d test queries with all-MiniLM-L6-v2 "
                    + "(once; cached in %s)%n", data.corpus().size(), data.testQueries().size(), cacheDir);
            AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
            List<TextSegment> docs = new ArrayList<>();
            for (SciFact.Doc d : data.corpus()) {
                docs.add(TextSegment.from(d.title() + "\n" + d.text()));
            }
            List<TextSegment> qs = data.testQueries().values().stream().map(TextSegment::from).toList();
            long t0 = System.nanoTime();
            float[] corpus = embed(model, docs);
            float[] queries = embed(model, qs);
            System.err.printf("embedded in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            Files.createDirectories(cacheDir);
            write(corpusFile, corpus);
            write(queryFile, queries);
            return new Embedded(corpus, queries);
        }

        private static float[] embed(AllMiniLmL6V2EmbeddingModel model, List<TextSegment> segments) {
            float[] out = new float[segments.size() * DIM];
            int batch = 256;
            for (int from = 0; from < segments.size(); from += batch) {
                List<Embedding> es = model.embedAll(segments.subList(from, Math.min(segments.size(), from + batch)))
                        .content();
                for (int i = 0; i < es.size(); i++) {
                    float[] v = es.get(i).vector();
                    double norm = 0;
                    for (float x : v) {
                        norm += x * x;
                    }
                    float inv = (float) (1.0 / Math.sqrt(norm));
                    for (int j = 0; j < DIM; j++) {
                        out[(from + i) * DIM + j] = v[j] * inv;
                    }
                }
                if (segments.size() > 1000) {
                    System.err.printf("  %d / %d%n", Math.min(segments.size(), from + batch), segments.size());
                }
            }
            return out;
        }

        private static float[] read(Path file) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }

        private static void write(Path file, float[] data) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
