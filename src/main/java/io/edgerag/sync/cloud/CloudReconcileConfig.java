package io.edgerag.sync.cloud;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code edgerag.cloud.reconcile.*}: the cloud → edge reconciler; runs where the cloud sink runs. */
@ConfigMapping(prefix = "edgerag.cloud.reconcile")
public interface CloudReconcileConfig {

    /** Time between scheduled runs (the first one after one interval); {@code 0} turns the schedule off. */
    @WithDefault("5m")
    Duration interval();

    /**
     * Collections (namespaces) to scan besides the default namespace, which is always scanned. The
     * store's port cannot list namespaces, so a collection written only in the cloud must be named here.
     */
    Optional<List<String>> collections();

    /**
     * Node id of the versions the reconciler makes for cloud records that carry no (consistent)
     * version: the tie-breaker of those writes.
     */
    @WithDefault("cloud")
    String nodeId();

    /**
     * Embedding model to announce for cloud records that do not name theirs
     * ({@code embedding_model} metadata); unset: this node's model.
     */
    Optional<String> embeddingModel();

    /** Ids listed per page (Pinecone allows at most 100). */
    @WithDefault("100")
    int pageSize();
}
