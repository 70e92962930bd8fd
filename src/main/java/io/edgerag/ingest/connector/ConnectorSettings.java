package io.edgerag.ingest.connector;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One connector's settings, checked: what {@link ConnectorsConfig.Source} says under its name, or what a
 * test builds directly.
 *
 * @param location the folder path ({@code folder}) or the repository URI ({@code git})
 * @param branch   the branch ({@code git}); ignored by folders
 */
public record ConnectorSettings(String name, ConnectorType type, String location, String branch, List<String> include,
                                Duration pollInterval, String collection, boolean enabled) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static final List<String> DEFAULT_INCLUDE = List.of("*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.pdf");

    public ConnectorSettings {
        if (!NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalStateException("edgerag.connectors." + name
                    + ": a connector name is 1-64 letters, digits and ._- (it names the state folder)");
        }
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("edgerag.connectors." + name + (type == ConnectorType.git
                    ? ".uri is required for a git connector" : ".path is required for a folder connector"));
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalStateException("edgerag.connectors." + name + ".poll-interval must be positive");
        }
        include = include == null || include.isEmpty() ? DEFAULT_INCLUDE : List.copyOf(include);
        collection = collection == null || collection.isBlank() ? null : collection;
    }

    static ConnectorSettings of(String name, ConnectorsConfig.Source source) {
        Optional<String> location = source.type() == ConnectorType.git ? source.uri() : source.path();
        return new ConnectorSettings(name, source.type(), location.orElse(null), source.branch(), source.include(),
                source.pollInterval(), source.collection().orElse(null), source.enabled());
    }
}
