package io.edgerag.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param from where it was read, for the error message */
    public static BackupManifest fromJson(InputStream json, String from) {
        try (json) {
            return JSON.readValue(json, BackupManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the backup manifest " + from, e);
        }
    }
}
