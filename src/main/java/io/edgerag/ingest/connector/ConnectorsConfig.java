package io.edgerag.ingest.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code edgerag.connectors.<name>.*}: sources whose documents the appliance keeps in its local store
 * by itself (README "Source connectors"). None configured = none runs. Progress and state keep under
 * {@code <edgerag.data-dir>/connectors/<name>/}, so a restart picks up where the last run ended.
 */
@ConfigMapping(prefix = "edgerag.connectors")
public interface ConnectorsConfig {

    /** Connectors by name (letters, digits, {@code ._-}; it names the state folder, metrics and the sync URL). */
    @WithParentName
    Map<String, Source> sources();

    interface Source {
        /** {@code folder} (a watched directory) or {@code git} (a branch of a Git repository). */
        ConnectorType type();

        /** {@code folder}: the directory to watch; files under it, recursively, are documents. */
        Optional<String> path();

        /**
         * {@code git}: the repository to fetch from, as a URL ({@code https://…}, {@code file://…}) or a local
         * path; the fetched objects are kept in a bare repository in the connector's state folder.
         */
        Optional<String> uri();

        /** {@code git}: the branch whose head is ingested. */
        @WithDefault("main")
        String branch();

        /**
         * Which files are documents: globs matched against the file name, or against the path relative to
         * the root when the glob contains a {@code /} ({@code docs/**}). Default: the types ingest parses.
         */
        @WithDefault("*.txt,*.md,*.markdown,*.html,*.htm,*.pdf")
        List<String> include();

        /**
         * {@code folder}: how often the whole folder is rescanned besides the file-system watch (which can
         * miss events: network file systems, overflow); {@code git}: how often the remote is fetched.
         */
        @WithDefault("60s")
        Duration pollInterval();

        /** The collection the documents go into; absent = the default collection. */
        Optional<String> collection();

        /** A disabled connector is listed but never runs (nor on demand). */
        @WithDefault("true")
        boolean enabled();
    }
}
