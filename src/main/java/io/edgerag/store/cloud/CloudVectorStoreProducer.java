package io.edgerag.store.cloud;

import io.edgerag.config.EdgeragConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.literal.NamedLiteral;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;

/** Picks the adapter named by {@code edgerag.cloud.store}; startup fails when none or several answer to it. */
@ApplicationScoped
public class CloudVectorStoreProducer {

    private static final Logger LOG = Logger.getLogger(CloudVectorStoreProducer.class);

    @Produces
    @ApplicationScoped
    CloudVectorStore selected(EdgeragConfig config, @Any @CloudStoreAdapter Instance<CloudVectorStore> adapters) {
        String name = config.cloud().store();
        Instance<CloudVectorStore> named = adapters.select(NamedLiteral.of(name));
        if (named.isUnsatisfied() || named.isAmbiguous()) {
            String known = adapters.handlesStream()
                    .map(h -> h.getBean().getName()).sorted().collect(Collectors.joining(", "));
            throw new IllegalStateException("edgerag.cloud.store=" + name + " names "
                    + (named.isUnsatisfied() ? "no" : "more than one") + " cloud store adapter; known: " + known);
        }
        return named.get();
    }

    /** Resolves (and so validates) the adapter at startup rather than on the first fallback query. */
    void validateAtStartup(@Observes StartupEvent event, CloudVectorStore store) {
        LOG.infof("Cloud store: %s%s", store.name(), store.enabled() ? "" : " (standalone: cloud fallback off)");
    }
}
