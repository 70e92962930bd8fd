package io.edgerag.bench;

import io.edgerag.embedding.Embedder;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.StoreConfig;
import io.edgerag.store.local.StoreRecords.ChunkRecord;
import io.edgerag.store.local.StoreRecords.DocumentRecord;
import io.edgerag.store.local.StoreRecords.Mutation;
import io.edgerag.store.local.StoreRecords.Upsert;
import io.edgerag.store.local.faiss.FaissLocalStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills an appliance store offline with {@code total} chunks: the real SciFact chunk embeddings
 * (copy 0, exact) then copies of every document whose vectors carry Gaussian noise of {@code sigma} per
 * component, renormalised. Ends with {@code compact()} so the index is what the default {@code auto}
 * factory picks for that many vectors (HNSW32 above 20k), then closes the store for the appliance.
 * The index is built once: writes go to Flat, the reopened store compacts into HNSW32.
 *
 * <p>Arguments: store directory ({@code <data-dir>/store}), total chunks, sigma, cache directory.
 */
public final class PrefillStore {

    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        int total = Integer.parseInt(args[1]);
        double sigma = Double.parseDouble(args[2]);
        Path cacheDir = Path.of(args.length > 3 ? args[3] : "target/bench-cache");
        List<SciFactChunks.Chunk> base = SciFactChunks.loadOrEmbed(cacheDir);
        Map<String, List<SciFactChunks.Chunk>> docs = new LinkedHashMap<>();
        base.forEach(c -> docs.computeIfAbsent(c.docId(), d -> new ArrayList<>()).add(c));
        String model = BenchEmbedder.config().embedding().model();
        int dim = base.get(0).vector().length;

        long start = System.nanoTime();
        Random random = new Random(42);
        int written = 0;
        // 1. write into an exact Flat index (no HNSW work per insert, no background rebuild at 20k) ...
        StoreConfig flat = StoreConfig.builder(storeDir, dim).hnswThreshold(Integer.MAX_VALUE).build();
        try (DurableVectorStore store = FaissLocalStore.open(flat)) {
            List<Mutation> batch = new ArrayList<>();
            for (int copy = 0; written < total; copy++) {
                for (List<SciFactChunks.Chunk> doc : docs.values()) {
                    int n = Math.min(doc.size(), total - written);
                    if (n <= 0) {
                        break;
                    }
                    String docId = doc.get(0).docId() + "~" + copy;
                    List<ChunkRecord> chunks = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        SciFactChunks.Chunk c = doc.get(i);
                        float[] v = copy == 0 ? c.vector() : noisy(c.vector(), sigma, random);
                        chunks.add(new ChunkRecord(docId + "#" + i, c.text(), null, v));
                    }
                    batch.add(new Upsert(new DocumentRecord(docId, doc.get(0).title(), "scifact-prefill", null,
                            Map.of("copy", Integer.toString(copy)), "prefill-" + docId, model,
                            Embedder.SCHEMA_VERSION, chunks)));
                    written += n;
                    if (batch.size() == 1000) {
                        store.apply(batch);
                        batch = new ArrayList<>();
                        System.out.printf("  prefill: %d/%d chunks%n", written, total);
                    }
                }
            }
            if (!batch.isEmpty()) {
                store.apply(batch);
            }
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        // 2. ... then reopen with the appliance's defaults (auto: HNSW32 from 20k live vectors) and compact
        // once into that index. Opening a Flat store above the threshold already queues that very
        // compaction in the background; wait for it rather than building the index twice.
        try (DurableVectorStore store = FaissLocalStore.open(StoreConfig.builder(storeDir, dim).build())) {
            String wanted = store.config().factoryFor(store.chunkCount());
            for (int s = 0; s < 3; s++) {
                Thread.sleep(1000);
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(40);
            while (!wanted.equals(store.indexFactoryString()) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
            }
            if (!wanted.equals(store.indexFactoryString())) {
                store.compact();
            }
            System.out.printf("prefilled %s: %d chunks (%d distinct SciFact vectors, noise sigma %.3f), index %s "
                            + "(generation %d); write %.0f s, compaction %.0f s%n", storeDir, store.chunkCount(),
                    base.size(), sigma, store.indexFactoryString(), store.generation(), writeSeconds,
                    (System.nanoTime() - start) / 1e9 - writeSeconds);
        }
    }

    static float[] noisy(float[] v, double sigma, Random random) {
        float[] out = new float[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] + sigma * random.nextGaussian());
            sum += out[i] * out[i];
        }
        float norm = (float) Math.sqrt(sum);
        for (int i = 0; i < out.length; i++) {
            out[i] /= norm;
        }
        return out;
    }
}
