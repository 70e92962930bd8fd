package io.edgerag.backup;

import java.time.Instant;
import java.util.Map;

/**
 * What a backup holds, written beside it as {@code manifest.json}: enough to check it before a restore
 * (the SHA-256 of every file) and to know where it came from.
 *
 * @param node          the node it was taken on (a restored node gets an id of its own)
 * @param chunks        live chunks at the time
 * @param embeddingModel the model of its vectors (a restore onto a node configured with another is refused at start)
 * @param files         relative path → SHA-256
 */
public record BackupManifest(String name, Instant createdAt, String node, long chunks, String embeddingModel,
                             Map<String, String> files) {
}
