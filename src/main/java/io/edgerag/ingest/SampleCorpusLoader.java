package io.edgerag.ingest;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.store.local.LocalStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** On the first run (empty store) ingests the docs in {@code sample-corpus/}, so the page can answer. */
@ApplicationScoped
public class SampleCorpusLoader {

    private static final Logger LOG = Logger.getLogger(SampleCorpusLoader.class);
    static final String INDEX = "sample-corpus/index.txt";

    void onStart(@Observes StartupEvent event, EdgeragConfig config, LocalStore store, IngestService ingest) {
        if (!config.ingest().sampleCorpusOnFirstRun() || store.chunkCount() > 0) {
            return;
        }
        List<String> files = listSampleFiles();
        for (String file : files) {
            ingest.ingestBlocking(new IngestCommand("sample-" + file.replace(".md", ""), titleOf(file, read(file)),
                    read(file), "sample-corpus/" + file, "sample", Map.of("format", "markdown")),
                    io.edgerag.security.Caller.system("sample-corpus"));
        }
        LOG.infof("First run: ingested the %d-document sample corpus", files.size());
    }

    public static List<String> listSampleFiles() {
        return read("index.txt").lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static String read(String file) {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("sample-corpus/" + file)) {
            if (in == null) {
                throw new IllegalStateException("Missing sample-corpus/" + file + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String titleOf(String file, String markdown) {
        return markdown.lines().filter(l -> l.startsWith("# ")).map(l -> l.substring(2).trim()).findFirst().orElse(file);
    }
}
