package io.edgerag.store.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForeignVectorsGuardTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_store_written_by_another_embedding_model_and_keep_its_data() {
        DurableVectorStore store = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory());
        store.upsert(StoreFixtures.doc("a", 1, 2)); // written with "test-model"
        assertThat(store.embeddingModels()).containsExactly("test-model");

        assertThatThrownBy(() -> LocalStoreProducer.refuseForeignVectors(store, "other-model", dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds vectors of [test-model]")
                .hasMessageContaining("edgerag.embedding.model is other-model");

        DurableVectorStore reopened = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory());
        try {
            assertThat(reopened.get("a")).isPresent();
            assertThatCode(() -> LocalStoreProducer.refuseForeignVectors(reopened, "test-model", dir)).doesNotThrowAnyException();
        } finally {
            reopened.close();
        }
    }
}
