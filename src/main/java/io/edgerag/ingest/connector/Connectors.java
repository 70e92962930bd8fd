package io.edgerag.ingest.connector;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.ingest.IngestService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The configured source connectors ({@code edgerag.connectors.*}), started with the appliance and stopped
 * with it; none configured, none runs.
 */
@ApplicationScoped
public class Connectors {

    private static final Logger LOG = Logger.getLogger(Connectors.class);

    private final ConnectorsConfig config;
    private final IngestService ingest;
    private final Path dataDir;
    private final MeterRegistry registry;
    private final Map<String, ConnectorRunner> runners = new TreeMap<>();

    public Connectors(ConnectorsConfig config, EdgeragConfig edgerag, IngestService ingest, MeterRegistry registry) {
        this.config = config;
        this.ingest = ingest;
        this.dataDir = Path.of(edgerag.dataDir());
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        config.sources().forEach((name, source) -> {
            ConnectorSettings settings = ConnectorSettings.of(name, source);
            ConnectorRunner runner = new ConnectorRunner(create(settings, ingest, dataDir, registry));
            runners.put(name, runner);
            if (settings.enabled()) {
                runner.start();
                LOG.infof("connector %s: %s %s into collection %s, polled every %s", name, settings.type(),
                        settings.location(), settings.collection() == null ? "default" : settings.collection(),
                        settings.pollInterval());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        runners.values().forEach(ConnectorRunner::close);
    }

    /** A connector over the store behind {@code ingest}, its state under {@code <dataDir>/connectors/<name>/}. */
    static SourceConnector create(ConnectorSettings settings, IngestService ingest, Path dataDir, MeterRegistry registry) {
        Path stateDir = dataDir.resolve("connectors").resolve(settings.name());
        DocumentSink sink = new DocumentSink(ingest, settings.name(), settings.collection());
        ConnectorProgress progress = new ConnectorProgress(settings, registry);
        return switch (settings.type()) {
            case folder -> new FolderConnector(settings, sink, stateDir, progress);
            case git -> new GitConnector(settings, sink, stateDir, progress);
        };
    }

    public List<ConnectorStatus> statuses() {
        return runners.values().stream().map(r -> r.connector().progress().status()).toList();
    }

    public List<String> names() {
        return List.copyOf(runners.keySet());
    }

    /**
     * Runs {@code name} now (after the run under way, if any).
     *
     * @return empty when no connector has that name
     * @throws IllegalStateException when it is disabled
     */
    public Optional<CompletableFuture<RunReport>> syncNow(String name) {
        ConnectorRunner runner = runners.get(name);
        if (runner == null) {
            return Optional.empty();
        }
        if (!runner.connector().settings().enabled()) {
            throw new IllegalStateException("Connector '" + name + "' is disabled: set edgerag.connectors." + name
                    + ".enabled=true");
        }
        return Optional.of(runner.runNow());
    }
}
