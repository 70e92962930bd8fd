package io.edgerag.store.cloud.pinecone;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.store.cloud.CloudMatch;
import io.edgerag.store.cloud.CloudRecord;
import io.edgerag.store.cloud.CloudStats;
import io.edgerag.store.cloud.CloudStoreAdapter;
import io.edgerag.store.cloud.CloudVectorStore;
import io.edgerag.store.cloud.IdPage;
import io.edgerag.store.cloud.InvalidCloudRequestException;
import io.pinecone.clients.AsyncIndex;
import io.pinecone.configs.PineconeConfig;
import io.pinecone.configs.PineconeConnection;
import io.pinecone.proto.DescribeIndexStatsResponse;
import io.pinecone.proto.ListItem;
import io.pinecone.proto.NamespaceSummary;
import io.pinecone.proto.Vector;
import io.pinecone.unsigned_indices_model.VectorWithUnsignedIndices;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link CloudVectorStore} on a Pinecone index, through the official client's gRPC data plane
 * ({@link AsyncIndex}). One namespace per collection. The client is given the index host directly, so
 * no control-plane call is made.
 */
@ApplicationScoped
@Named(PineconeCloudVectorStore.NAME)
@CloudStoreAdapter
public class PineconeCloudVectorStore implements CloudVectorStore, AutoCloseable {

    public static final String NAME = "pinecone";
    /** Pinecone's largest page for list. */
    static final int MAX_LIST_LIMIT = 100;
    private static final String SOURCE_TAG = "edgerag";
    private static final Logger LOG = Logger.getLogger(PineconeCloudVectorStore.class);

    private final PineconeSettings settings;
    private final PineconeConnection connection;
    private final AsyncIndex index;
    private final PineconeCalls calls;

    @Inject
    public PineconeCloudVectorStore(EdgeragConfig config) {
        this(PineconeSettings.from(config.cloud().pinecone()));
    }

    public PineconeCloudVectorStore(PineconeSettings settings) {
        this.settings = settings;
        PineconeConfig clientConfig = new PineconeConfig(settings.apiKey(), SOURCE_TAG);
        clientConfig.setHost(settings.indexHost());
        clientConfig.setTLSEnabled(settings.tls());
        this.connection = new PineconeConnection(clientConfig);
        this.index = new AsyncIndex(clientConfig, connection, indexName(settings.indexHost()));
        this.calls = new PineconeCalls(settings, () -> connection.getChannel().resetConnectBackoff());
        LOG.infof("Pinecone cloud store: %s", settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<Void> upsert(String collection, List<CloudRecord> records) {
        String ns = namespace(collection);
        return Uni.createFrom().item(() -> UpsertBatches.split(toVectors(records), settings.maxBatchRecords(),
                        settings.maxBatchBytes()))
                .onItem().transformToMulti(batches -> Multi.createFrom().iterable(batches))
                .onItem().transformToUniAndConcatenate(batch -> calls.call("upsert",
                        () -> index.upsert(batch.stream().map(PineconeCloudVectorStore::toClientVector).toList(), ns)))
                .collect().last()
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> deleteByIds(String collection, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return calls.call("delete", () -> index.deleteByIds(ids, namespace(collection))).replaceWithVoid();
    }

    @Override
    public Uni<Void> deleteByDocId(String collection, String docId) {
        return calls.call("delete", () -> index.deleteByFilter(
                        PineconeMetadata.equalityFilter(Map.of(CloudRecord.DOC_ID, docId)), namespace(collection)))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<CloudMatch>> query(String collection, float[] vector, int topK, Map<String, String> filter) {
        return Uni.createFrom().item(() -> checkedValues("query", vector))
                .flatMap(values -> calls.call("query", () -> index.queryByVector(topK, values, namespace(collection),
                        filter == null || filter.isEmpty() ? null : PineconeMetadata.equalityFilter(filter),
                        false, true)))
                .map(response -> response.getMatchesList().stream()
                        .map(m -> new CloudMatch(m.getId(), m.getScore(), PineconeMetadata.fromStruct(m.getMetadata())))
                        .toList());
    }

    @Override
    public Uni<List<CloudRecord>> fetch(String collection, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return calls.call("fetch", () -> index.fetch(ids, namespace(collection)))
                .map(response -> ids.stream().filter(response::containsVectors)
                        .map(id -> toRecord(response.getVectorsOrThrow(id)))
                        .toList());
    }

    @Override
    public Uni<IdPage> listIds(String collection, String prefix, String pageToken, int limit) {
        String ns = namespace(collection);
        int pageSize = Math.max(1, Math.min(limit, MAX_LIST_LIMIT));
        boolean hasPrefix = prefix != null && !prefix.isEmpty();
        boolean hasToken = pageToken != null && !pageToken.isEmpty();
        // the client's overloads refuse empty prefixes and tokens, so pick the one that matches
        return calls.call("list", () -> hasPrefix
                        ? (hasToken ? index.list(ns, prefix, pageToken, pageSize) : index.list(ns, prefix, pageSize))
                        : (hasToken ? index.list(ns, pageSize, pageToken) : index.list(ns, pageSize)))
                .map(response -> new IdPage(response.getVectorsList().stream().map(ListItem::getId).toList(),
                        java.util.Optional.of(response.getPagination().getNext())));
    }

    @Override
    public Uni<CloudStats> stats(String collection) {
        String ns = namespace(collection);
        return calls.call("describeIndexStats", index::describeIndexStats)
                .map(stats -> new CloudStats(count(stats, ns), stats.getDimension()));
    }

    @PreDestroy
    @Override
    public void close() {
        connection.close();
    }

    /** Pinecone's default namespace answers to "" on the wire and may be reported as "__default__". */
    private static long count(DescribeIndexStatsResponse stats, String ns) {
        Map<String, NamespaceSummary> namespaces = stats.getNamespacesMap();
        NamespaceSummary summary = namespaces.get(ns);
        if (summary == null && ns.isEmpty()) {
            summary = namespaces.get("__default__");
        }
        return summary == null ? 0 : summary.getVectorCount();
    }

    static String namespace(String collection) {
        return collection == null || collection.isBlank() ? "" : collection;
    }

    private List<Vector> toVectors(List<CloudRecord> records) {
        List<Vector> vectors = new ArrayList<>(records.size());
        int dimension = -1;
        for (CloudRecord r : records) {
            List<Float> values = checkedValues("record " + r.id(), r.vector());
            if (dimension >= 0 && values.size() != dimension) {
                throw new InvalidCloudRequestException("Record " + r.id() + " has dimension " + values.size()
                        + ", the records before it " + dimension + ": one upsert, one dimension");
            }
            dimension = values.size();
            vectors.add(Vector.newBuilder().setId(r.id()).addAllValues(values)
                    .setMetadata(PineconeMetadata.toStruct(r.id(), r.metadata(), settings.maxMetadataBytes()))
                    .build());
        }
        return vectors;
    }

    private static VectorWithUnsignedIndices toClientVector(Vector v) {
        return new VectorWithUnsignedIndices(v.getId(), v.getValuesList(), v.getMetadata(), null);
    }

    private static CloudRecord toRecord(Vector v) {
        float[] values = new float[v.getValuesCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = v.getValues(i);
        }
        return new CloudRecord(v.getId(), values, PineconeMetadata.fromStruct(v.getMetadata()));
    }

    private static List<Float> checkedValues(String what, float[] vector) {
        if (vector == null || vector.length == 0) {
            throw new InvalidCloudRequestException("Pinecone " + what + ": the vector is empty");
        }
        List<Float> values = new ArrayList<>(vector.length);
        for (float f : vector) {
            if (!Float.isFinite(f)) {
                throw new InvalidCloudRequestException("Pinecone " + what + ": the vector holds NaN or infinity");
            }
            values.add(f);
        }
        return values;
    }

    /** The index name is the host's first label before the project suffix ({@code name-abc123.svc...}). */
    private static String indexName(String host) {
        String bare = host.replaceFirst("^https?://", "");
        String label = bare.split("[.:]", 2)[0];
        int dash = label.lastIndexOf('-');
        return dash > 0 ? label.substring(0, dash) : label;
    }
}
