package io.edgerag.store.local;

/**
 * Where a store is in a blue-green embedding migration. {@code BUILDING}: the active model serves while the
 * target model's vectors are made beside it; {@code CUT_OVER}: the target serves and the previous model's
 * vectors are still kept (and written), so a rollback is one swap away until finalize drops them.
 */
public enum EmbeddingMigrationPhase { NONE, BUILDING, CUT_OVER }
