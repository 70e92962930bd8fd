package io.edgerag.embedding.migration;

import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.EmbeddingMigrationState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code edgerag_embedding_migration_phase} (0 none, 1 building, 2 cut over), {@code _progress} (0..1 of live
 * chunks with a vector of the migration's other model; 1 when none runs) and {@code _missing_chunks}.
 */
@Startup
@ApplicationScoped
public class MigrationMetrics {

    public MigrationMetrics(DurableVectorStore store, MeterRegistry registry) {
        Gauge.builder("edgerag.embedding.migration.phase", store, s -> s.migrationState().phase().ordinal())
                .description("Embedding migration phase: 0 none, 1 building, 2 cut over (rollback possible)").register(registry);
        Gauge.builder("edgerag.embedding.migration.progress", store, MigrationMetrics::progress)
                .description("Share of live chunks embedded with the migration's other model").register(registry);
        Gauge.builder("edgerag.embedding.migration.missing.chunks", store, s -> s.migrationState().missing())
                .description("Live chunks still to embed before a cut-over (or a rollback after one)").register(registry);
    }

    private static double progress(DurableVectorStore store) {
        EmbeddingMigrationState s = store.migrationState();
        return s.shadowModel() == null || s.liveChunks() == 0 ? 1.0 : (double) s.shadowVectors() / s.liveChunks();
    }
}
