package io.edgerag.app;

import io.edgerag.store.local.LocalStore;
import io.edgerag.store.local.faiss.FaissLibrary;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FAISS inside the Quarkus application: loaded once, by the store, in the application's
 * classloader; a second load is a no-op rather than an "already loaded in another classloader".
 * (The store's plain JUnit tests run in a JVM of their own for that reason: see the pom.)
 */
@QuarkusTest
@QuarkusTestResource(OllamaStandInResource.class)
class NativeLibrariesInAppTest {

    @Inject
    LocalStore store;

    @Test
    void should_have_loaded_faiss_once_when_the_store_opened() {
        assertThat(store.dimension()).isEqualTo(384);
        FaissLibrary.Variant loaded = FaissLibrary.loadedVariant();
        assertThat(loaded).as("the store opened FAISS at startup").isNotNull();
        assertThat(FaissLibrary.load()).isSameAs(loaded);
        assertThat(FaissLibrary.class.getClassLoader()).isSameAs(store.getClass().getClassLoader());
    }
}
