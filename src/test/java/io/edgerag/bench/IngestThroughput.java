package io.edgerag.bench;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.embedding.Embedder;
import io.edgerag.ingest.Chunker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ingest throughput: end-to-end {@code POST /api/documents} chunks/s against the bare
 * {@link Embedder#embedPassages} throughput on the very same passages (same chunker, title prefix,
 * batch size), in one run. The raw figure is taken before and after the HTTP runs (shared machine).
 *
 * <p>Arguments: appliance base URL, measured documents, warm-up documents, HTTP parallelism list.
 */
public final class IngestThroughput {

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String[] parallelism = (args.length > 3 ? args[3] : "1,4").split(",");
        List<SciFact.Doc> corpus = SciFact.load(SciFact.locate()).corpus();
        List<SciFact.Doc> warm = corpus.subList(0, warmup);
        List<SciFact.Doc> docs = corpus.subList(warmup, warmup + measured);

        EdgeragConfig config = BenchEmbedder.config();
        Chunker chunker = new Chunker(config.ingest().chunkSize(), config.ingest().chunkOverlap());
        Embedder embedder = new Embedder(config);
        List<String> passages = SciFactChunks.passages(docs, chunker);
        embedder.embedPassages(SciFactChunks.passages(warm, chunker));
        double rawBefore = rawChunksPerSecond(embedder, passages);
        double rawPerDocument = rawPerDocumentChunksPerSecond(embedder, docs, chunker);

        SciFactOverHttp driver = new SciFactOverHttp(base);
        driver.ingest(new SciFact(prefixed(warm, "warm-"), Map.of(), Map.of()), 2, "bench-ingest");
        List<String[]> httpRows = new ArrayList<>();
        for (String p : parallelism) {
            int threads = Integer.parseInt(p.trim());
            long start = System.nanoTime();
            long chunks = driver.ingest(new SciFact(prefixed(docs, "p" + threads + "-"), Map.of(), Map.of()),
                    threads, "bench-ingest");
            double seconds = (System.nanoTime() - start) / 1e9;
            if (chunks != passages.size()) {
                throw new IllegalStateException("appliance made " + chunks + " chunks, the bench " + passages.size());
            }
            httpRows.add(new String[] {p.trim(), Double.toString(chunks / seconds)});
        }
        double rawAfter = rawChunksPerSecond(embedder, passages);
        double raw = (rawBefore + rawAfter) / 2;

        System.out.printf("%d SciFact documents → %d chunks (batch size %d); raw embedPassages %.1f chunks/s before, "
                + "%.1f after the HTTP runs%n", docs.size(), passages.size(), config.ingest().embedBatchSize(),
                rawBefore, rawAfter);
        System.out.println();
        System.out.println("| path | chunks/s | vs raw batched (mean of before/after) |");
        System.out.println("|---|---|---|");
        System.out.printf("| raw `embedPassages`, batches of %d (the reference) | %.1f | 100 %% |%n",
                config.ingest().embedBatchSize(), raw);
        System.out.printf("| raw chunk + `embedPassages`, one call per document (as the pipeline batches) | %.1f | %.0f %% |%n",
                rawPerDocument, 100 * rawPerDocument / raw);
        for (String[] row : httpRows) {
            double cps = Double.parseDouble(row[1]);
            System.out.printf("| `POST /api/documents`, %s concurrent client(s) | %.1f | %.0f %% |%n", row[0], cps, 100 * cps / raw);
        }
    }

    private static double rawChunksPerSecond(Embedder embedder, List<String> passages) {
        long start = System.nanoTime();
        embedder.embedPassages(passages);
        return passages.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double rawPerDocumentChunksPerSecond(Embedder embedder, List<SciFact.Doc> docs, Chunker chunker) {
        int chunks = 0;
        long start = System.nanoTime();
        for (SciFact.Doc doc : docs) {
            List<String> passages = SciFactChunks.passages(List.of(doc), chunker);
            embedder.embedPassages(passages);
            chunks += passages.size();
        }
        return chunks / ((System.nanoTime() - start) / 1e9);
    }

    private static List<SciFact.Doc> prefixed(List<SciFact.Doc> docs, String prefix) {
        return docs.stream().map(d -> new SciFact.Doc(prefix + d.id(), d.title(), d.text())).toList();
    }
}
