package io.edgerag.store.local;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.nio.file.Path;

/**
 * LangChain4j's reference store passes the contract too: the suite asks nothing exotic. The
 * assertions are inherited from {@link EmbeddingStoreContractTest}.
 */
class InMemoryEmbeddingStoreContractTest extends EmbeddingStoreContractTest {

    @Override
    protected EmbeddingStore<TextSegment> createStore(Path directory) {
        return new InMemoryEmbeddingStore<>();
    }

    /** InMemoryEmbeddingStore appends a second entry for a repeated id. */
    @Override
    protected boolean replacesOnSameId() {
        return false;
    }
}
