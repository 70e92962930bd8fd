package io.edgerag.sync.cloud;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code edgerag.cloud.sink.*}: the cloud sink, which applies the change log to the cloud store, and
 * with it the reconciler ({@link CloudReconcileConfig}). Enable it on one designated node, or on a
 * cloud-side instance of the same binary, in hybrid mode ({@code edgerag.sync.enabled=true}) with a
 * cloud store configured. All sink instances share one consumer group ({@code edgerag-cloud-sink}).
 */
@ConfigMapping(prefix = "edgerag.cloud.sink")
public interface CloudSinkConfig {

    /** Consume {@code edgerag.changes} into the cloud store. Also switches the reconciler on. */
    @WithDefault("false")
    boolean enabled();

    /**
     * Namespace of the sink's bookkeeping: one small record per document (id = docId) with the version
     * the log last carried for it, and whether that was a delete (a tombstone). Queries never look
     * here, so tombstones cannot show up as passages. Must not be used as a collection name.
     */
    @WithDefault("__edgerag_versions__")
    String versionsNamespace();

    /** Longest pause between retries while the cloud store refuses or is unreachable (backoff doubles up to it). */
    @WithDefault("30s")
    Duration maxBackoff();
}
