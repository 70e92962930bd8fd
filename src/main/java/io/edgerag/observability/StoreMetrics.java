package io.edgerag.observability;

import io.edgerag.store.local.DurableVectorStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The local store's size on {@code /q/metrics}: live chunks in the vector and the keyword index, positions
 * (live + dead until compaction), an estimate of the vector bytes the index holds in memory, and
 * compaction runs (the store generation: it only grows, kept across restarts).
 */
@Startup
@ApplicationScoped
public class StoreMetrics {

    public StoreMetrics(DurableVectorStore store, MeterRegistry registry) {
        Gauge.builder("edgerag.store.chunks", store, DurableVectorStore::chunkCount)
                .description("Live chunks in the vector index").register(registry);
        Gauge.builder("edgerag.store.keyword.chunks", store, DurableVectorStore::keywordChunkCount)
                .description("Live chunks in the keyword (BM25) index").register(registry);
        Gauge.builder("edgerag.store.positions", store, DurableVectorStore::positionCount)
                .description("Index positions, live and dead (dead ones go at the next compaction)").register(registry);
        // raw float32 vectors: what a Flat index holds; HNSW adds its graph, IVF-PQ holds much less
        Gauge.builder("edgerag.store.vector.memory", store, s -> 4.0 * s.positionCount() * s.dimension())
                .baseUnit("bytes").description("Estimated memory of the vectors in the index").register(registry);
        FunctionCounter.builder("edgerag.store.compactions", store, DurableVectorStore::generation)
                .description("Compaction runs over the store's life").register(registry);
    }
}
