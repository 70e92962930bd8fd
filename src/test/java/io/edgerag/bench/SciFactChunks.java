package io.edgerag.bench;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.edgerag.ingest.Chunker;
import io.edgerag.ingest.IngestService;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SciFact cut into chunks exactly as the ingest pipeline cuts them ({@link Chunker#splitToFit} with the
 * title as prefix and the model's input length as budget), each with its real embedding (title + chunk,
 * as {@link IngestService} embeds it); chunk {@code i} of a document is the appliance's {@code docId#i}. Embedding the 5,183 abstracts takes minutes on a
 * small machine, so the result is cached in {@code target/bench-cache/} (never committed: the data set
 * is evaluation-only).
 */
final class SciFactChunks {

    record Chunk(String docId, String title, String text, float[] vector) {
    }

    private static final String MAGIC = "edgerag-scifact-chunks-v1";

    /** Embeds and caches SciFact for the configured model ({@code -Dedgerag.embedding.model=...}). */
    public static void main(String[] args) throws IOException {
        List<Chunk> chunks = loadOrEmbed(Path.of(args.length > 0 ? args[0] : "target/bench-cache"));
        System.out.printf("%d SciFact chunks cached%n", chunks.size());
    }

    private SciFactChunks() {
    }

    /** The texts the pipeline would embed for these documents, in order (title + chunk). */
    static List<String> passages(List<SciFact.Doc> docs, Chunker chunker) {
        List<String> out = new ArrayList<>();
        for (SciFact.Doc doc : docs) {
            for (String chunk : chunker.split(doc.text())) {
                out.add(IngestService.withTitle(doc.title(), chunk));
            }
        }
        return out;
    }

    /** Loads the cache for the configured model, embedding SciFact first when it is missing. */
    static List<Chunk> loadOrEmbed(Path cacheDir) throws IOException {
        EdgeragConfig config = BenchEmbedder.config();
        Path file = cacheDir.resolve("scifact-chunks-" + config.embedding().model().replaceAll("[^A-Za-z0-9.-]", "_")
                + "-" + config.ingest().chunkSize() + "-" + config.ingest().chunkOverlap() + "-fit.bin");
        if (Files.isRegularFile(file)) {
            return read(file);
        }
        Path dir = SciFact.locate();
        if (dir == null) {
            throw new IllegalStateException("SciFact not found: set SCIFACT_DIR or run beside shared/data/scifact");
        }
        List<SciFact.Doc> corpus = SciFact.load(dir).corpus();
        String abstracts = System.getenv("BENCH_ABSTRACT_VECTORS");
        if (abstracts != null && Files.isRegularFile(Path.of(abstracts))) {
            return fromAbstractVectors(Path.of(abstracts), corpus, config.embedding().model());
        }
        Chunker chunker = new Chunker(config.ingest().chunkSize(), config.ingest().chunkOverlap());
        Embedder embedder = new Embedder(config);
        List<Chunk> chunks = new ArrayList<>();
        long start = System.nanoTime();
        for (int from = 0; from < corpus.size(); from += 256) {
            List<SciFact.Doc> docs = corpus.subList(from, Math.min(corpus.size(), from + 256));
            List<String[]> parts = new ArrayList<>();
            for (SciFact.Doc doc : docs) {
                for (String text : chunker.splitToFit(doc.text(), doc.title(), embedder.maxInputTokens())) {
                    parts.add(new String[] {doc.id(), doc.title(), text});
                }
            }
            List<float[]> vectors = embedder.embedPassages(parts.stream().map(p -> IngestService.withTitle(p[1], p[2])).toList());
            for (int i = 0; i < parts.size(); i++) {
                chunks.add(new Chunk(parts.get(i)[0], parts.get(i)[1], parts.get(i)[2], vectors.get(i)));
            }
            System.out.printf("  embedded %d/%d SciFact documents (%d chunks, %.0f s)%n", from + docs.size(),
                    corpus.size(), chunks.size(), (System.nanoTime() - start) / 1e9);
        }
        write(file, embedder.modelId(), chunks);
        return chunks;
    }

    /**
     * One chunk per whole abstract from a matrix of abstract embeddings that another bench already
     * computed: raw little-endian float32, one row of 384 per corpus line in {@code corpus.jsonl} order,
     * each the all-MiniLM-L6-v2 embedding of "title\ntext" (what {@link IngestService#withTitle} embeds).
     */
    private static List<Chunk> fromAbstractVectors(Path file, List<SciFact.Doc> corpus, String model) throws IOException {
        if (!model.equals("all-minilm-l6-v2")) {
            throw new IllegalStateException("BENCH_ABSTRACT_VECTORS holds all-minilm-l6-v2 vectors, the model is " + model);
        }
        java.nio.FloatBuffer floats = java.nio.ByteBuffer.wrap(Files.readAllBytes(file))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int dim = 384;
        if (floats.remaining() != corpus.size() * dim) {
            throw new IllegalStateException(file + " holds " + floats.remaining() + " floats, expected "
                    + corpus.size() + " x " + dim);
        }
        List<Chunk> chunks = new ArrayList<>(corpus.size());
        for (SciFact.Doc doc : corpus) {
            float[] v = new float[dim];
            floats.get(v);
            chunks.add(new Chunk(doc.id(), doc.title(), doc.text(), v));
        }
        System.out.printf("SciFact vectors: %d whole-abstract all-MiniLM-L6-v2 embeddings from %s%n", chunks.size(), file);
        return chunks;
    }

    private static void write(Path file, String model, List<Chunk> chunks) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(MAGIC);
            out.writeUTF(model);
            out.writeInt(chunks.size());
            out.writeInt(chunks.get(0).vector().length);
            for (Chunk c : chunks) {
                out.writeUTF(c.docId());
                out.writeUTF(c.title());
                out.writeUTF(c.text());
                for (float x : c.vector()) {
                    out.writeFloat(x);
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Chunk> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file + " is not a " + MAGIC + " file");
            }
            in.readUTF();
            int n = in.readInt();
            int dim = in.readInt();
            List<Chunk> chunks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String docId = in.readUTF();
                String title = in.readUTF();
                String text = in.readUTF();
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = in.readFloat();
                }
                chunks.add(new Chunk(docId, title, text, v));
            }
            return chunks;
        }
    }
}
