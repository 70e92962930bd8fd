package io.edgerag.sync;

import io.edgerag.config.EdgeragConfig;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This appliance's node id: configured ({@code edgerag.sync.node-id}), or made up once and kept in
 * {@code <data-dir>/node-id}. It must never change for a data directory: it is half of every version
 * the node has written, and the consumer group name.
 */
@Singleton
public class NodeIdentity {

    private static final Logger LOG = Logger.getLogger(NodeIdentity.class);
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String id;

    public NodeIdentity(EdgeragConfig config, SyncConfig sync) {
        this.id = resolve(Path.of(config.dataDir()), sync);
    }

    public String id() {
        return id;
    }

    private static String resolve(Path dataDir, SyncConfig sync) {
        Path file = dataDir.resolve("node-id");
        try {
            String stored = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
            String configured = sync.nodeId().map(String::trim).orElse(null);
            if (configured != null && !VALID.matcher(configured).matches()) {
                throw new IllegalStateException("edgerag.sync.node-id '" + configured
                        + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (stored != null && configured != null && !stored.equals(configured)) {
                throw new IllegalStateException("edgerag.sync.node-id is " + configured + " but " + file.toAbsolutePath()
                        + " was written by node " + stored + ": a data directory belongs to one node");
            }
            String id = configured != null ? configured : stored != null ? stored : "edge-" + UUID.randomUUID().toString().substring(0, 8);
            if (stored == null) {
                Files.createDirectories(dataDir);
                Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
                LOG.infof("node id %s recorded in %s", id, file.toAbsolutePath());
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file.toAbsolutePath(), e);
        }
    }
}
