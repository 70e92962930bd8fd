package io.edgerag.store.local.faiss;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.EmbeddingStoreContractTest;
import io.edgerag.store.local.StoreConfig;
import io.edgerag.store.local.TestIndexes;
import io.edgerag.store.local.VectorIndex;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

/**
 * The contract for {@link FaissEmbeddingStore}, once per index type; the assertions are inherited
 * from {@link EmbeddingStoreContractTest}.
 */
class FaissEmbeddingStoreContractTest {

    abstract static class Base extends EmbeddingStoreContractTest {

        abstract StoreConfig.Builder configure(StoreConfig.Builder builder);

        @Override
        protected EmbeddingStore<TextSegment> createStore(Path directory) {
            StoreConfig config = configure(StoreConfig.builder(directory, DIM).snapshotInterval(Duration.ZERO)
                    .exactSearchThreshold(0)).build();
            return FaissEmbeddingStore.owning(DurableVectorStore.open(config, TestIndexes.factory()));
        }

        @Override
        protected boolean supportsPersistence() {
            return true;
        }

        @Override
        protected boolean validatesVectors() {
            return true;
        }
    }

    @Nested
    class Flat extends Base {
        @Override
        StoreConfig.Builder configure(StoreConfig.Builder b) {
            return b.indexFactory("Flat");
        }
    }

    @Nested
    class Hnsw32 extends Base {
        @Override
        StoreConfig.Builder configure(StoreConfig.Builder b) {
            return b.indexFactory("HNSW32").tuning(new VectorIndex.SearchTuning(64, 0));
        }
    }

    @Nested
    class IvfPq extends Base {
        @Override
        StoreConfig.Builder configure(StoreConfig.Builder b) {
            return b.indexFactory("IVF4,PQ8x4").trainMinVectors(64).tuning(new VectorIndex.SearchTuning(0, 4));
        }
    }
}
