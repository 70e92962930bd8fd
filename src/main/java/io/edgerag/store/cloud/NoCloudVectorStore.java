package io.edgerag.store.cloud;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.List;
import java.util.Map;

/**
 * Standalone mode: there is no cloud. {@link #enabled()} is false so retrieval skips the cloud; a caller
 * that calls anyway gets a failure that says how to configure one, never a silent empty answer.
 */
@ApplicationScoped
@Named(NoCloudVectorStore.NAME)
@CloudStoreAdapter
public class NoCloudVectorStore implements CloudVectorStore {

    public static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public Uni<Void> upsert(String collection, List<CloudRecord> records) {
        return disabled();
    }

    @Override
    public Uni<Void> deleteByIds(String collection, List<String> ids) {
        return disabled();
    }

    @Override
    public Uni<Void> deleteByDocId(String collection, String docId) {
        return disabled();
    }

    @Override
    public Uni<List<CloudMatch>> query(String collection, float[] vector, int topK, Map<String, String> filter) {
        return disabled();
    }

    @Override
    public Uni<List<CloudRecord>> fetch(String collection, List<String> ids) {
        return disabled();
    }

    @Override
    public Uni<IdPage> listIds(String collection, String prefix, String pageToken, int limit) {
        return disabled();
    }

    @Override
    public Uni<CloudStats> stats(String collection) {
        return disabled();
    }

    private static <T> Uni<T> disabled() {
        return Uni.createFrom().failure(new CloudStoreException(
                "No cloud store is configured (edgerag.cloud.store=none): set edgerag.cloud.store=pinecone "
                        + "and edgerag.cloud.pinecone.index-host / api-key to use one"));
    }
}
