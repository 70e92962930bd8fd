package io.edgerag.store.local.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import io.edgerag.store.local.ChunkHit;
import io.edgerag.store.local.DurableVectorStore;
import io.edgerag.store.local.SearchRequest;
import io.edgerag.store.local.StoreFixtures;
import io.edgerag.store.local.TestIndexes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LangChain4j adapter and the appliance's LocalStore share one engine without seeing each other's data. */
class FaissEmbeddingStoreTest {

    @TempDir
    Path dir;

    @Test
    void should_keep_embedding_store_entries_and_local_store_documents_apart_on_a_shared_engine() {
        try (DurableVectorStore engine = DurableVectorStore.open(StoreFixtures.config(dir, "Flat").build(), TestIndexes.factory())) {
            FaissEmbeddingStore lc4j = new FaissEmbeddingStore(engine, "lc4j");
            engine.upsert(StoreFixtures.doc("shared-id", 1, 1));
            Embedding e = Embedding.from(StoreFixtures.vector("x", 1, 0));
            lc4j.add(e, TextSegment.from("from langchain4j"));

            lc4j.remove("shared-id");
            lc4j.removeAll();

            assertThat(engine.get("shared-id")).isPresent();
            assertThat(lc4j.search(EmbeddingSearchRequest.builder().queryEmbedding(e).maxResults(10).build()).matches()).isEmpty();
            assertThat(engine.search(StoreFixtures.vector("shared-id", 1, 0), SearchRequest.topK(10)))
                    .extracting(ChunkHit::docId).containsExactly("shared-id");
        }
    }
}
