package io.edgerag.store.cloud.pinecone;

import io.edgerag.config.EdgeragConfig;

import java.time.Duration;

/**
 * Everything the Pinecone adapter needs, checked once. {@link #toString()} never shows the API key:
 * this record is what ends up in logs and exception messages.
 */
public record PineconeSettings(String indexHost, String apiKey, boolean tls, Duration callTimeout, int maxRetries,
                               Duration initialBackoff, Duration maxBackoff, int maxBatchRecords, int maxBatchBytes,
                               int maxMetadataBytes) {

    public PineconeSettings {
        if (indexHost == null || indexHost.isBlank()) {
            throw new IllegalStateException("edgerag.cloud.pinecone.index-host is required when edgerag.cloud.store=pinecone");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException("edgerag.cloud.pinecone.api-key (env EDGERAG_CLOUD_PINECONE_API_KEY) is required "
                    + "when edgerag.cloud.store=pinecone");
        }
        if (maxBatchRecords < 1 || maxBatchBytes < 1 || maxMetadataBytes < 1 || maxRetries < 0) {
            throw new IllegalStateException("edgerag.cloud.pinecone batch and metadata limits must be positive, retries >= 0");
        }
    }

    /** The configured settings; refuses plaintext to a host that is not loopback (see {@link CloudTransport}). */
    public static PineconeSettings from(EdgeragConfig.Cloud.Pinecone c) {
        c.indexHost().ifPresent(host -> CloudTransport.requireTlsOffLoopback(host, c.tls(), c.allowRemotePlaintext()));
        return new PineconeSettings(c.indexHost().orElse(null), c.apiKey().orElse(null), c.tls(), c.callTimeout(),
                c.maxRetries(), c.initialBackoff(), c.maxBackoff(), c.maxBatchRecords(), c.maxBatchBytes(),
                c.maxMetadataBytes());
    }

    /** Pinecone's limits and this project's defaults, for a host and key (tests, tools). */
    public static PineconeSettings defaults(String indexHost, String apiKey, boolean tls) {
        return new PineconeSettings(indexHost, apiKey, tls, Duration.ofSeconds(2), 3, Duration.ofMillis(100),
                Duration.ofSeconds(2), 1000, 2_000_000, 40_960);
    }

    public PineconeSettings withRetries(int retries, Duration initial, Duration max) {
        return new PineconeSettings(indexHost, apiKey, tls, callTimeout, retries, initial, max, maxBatchRecords,
                maxBatchBytes, maxMetadataBytes);
    }

    public PineconeSettings withCallTimeout(Duration timeout) {
        return new PineconeSettings(indexHost, apiKey, tls, timeout, maxRetries, initialBackoff, maxBackoff,
                maxBatchRecords, maxBatchBytes, maxMetadataBytes);
    }

    @Override
    public String toString() {
        return "PineconeSettings[indexHost=" + indexHost + ", apiKey=***, tls=" + tls + ", callTimeout=" + callTimeout
                + ", maxRetries=" + maxRetries + ", backoff=" + initialBackoff + ".." + maxBackoff
                + ", maxBatchRecords=" + maxBatchRecords + ", maxBatchBytes=" + maxBatchBytes
                + ", maxMetadataBytes=" + maxMetadataBytes + "]";
    }
}
