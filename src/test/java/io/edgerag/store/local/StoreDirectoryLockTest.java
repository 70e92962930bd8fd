package io.edgerag.store.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_second_opener_of_the_same_store_until_the_first_closes() {
        DurableVectorStore first = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory());
        try {
            assertThatThrownBy(() -> DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is open in another edgerag process");
        } finally {
            first.close();
        }
        DurableVectorStore again = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory());
        assertThat(again.chunkCount()).isZero();
        again.close();
    }
}
