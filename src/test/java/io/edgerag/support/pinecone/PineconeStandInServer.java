package io.edgerag.support.pinecone;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pinecone.proto.DeleteRequest;
import io.pinecone.proto.DeleteResponse;
import io.pinecone.proto.DescribeIndexStatsRequest;
import io.pinecone.proto.DescribeIndexStatsResponse;
import io.pinecone.proto.FetchRequest;
import io.pinecone.proto.FetchResponse;
import io.pinecone.proto.ListItem;
import io.pinecone.proto.ListRequest;
import io.pinecone.proto.ListResponse;
import io.pinecone.proto.NamespaceSummary;
import io.pinecone.proto.Pagination;
import io.pinecone.proto.QueryRequest;
import io.pinecone.proto.QueryResponse;
import io.pinecone.proto.ScoredVector;
import io.pinecone.proto.UpsertRequest;
import io.pinecone.proto.UpsertResponse;
import io.pinecone.proto.Vector;
import io.pinecone.proto.VectorServiceGrpc;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A stand-in for a Pinecone index on a loopback port, NOT Pinecone: Pinecone cannot run here. It
 * implements Pinecone's own gRPC data-plane service ({@code VectorServiceGrpc}, whose generated classes
 * ship in the client jar) in memory: Upsert, Query (cosine; metadata filters per {@link PineconeFilter}),
 * Fetch, Delete (ids, deleteAll, filter), List (prefix, pagination), DescribeIndexStats, per namespace.
 * It enforces the limits the adapter must respect (dimension, 1000 vectors and 2 MB per upsert, 40 KB of
 * metadata per vector) and checks the {@code api-key} header, so the real {@code pinecone-client} can be
 * tested against it in plaintext. For tests: it counts calls per method, and can fail the next calls with
 * a status or answer slowly.
 */
public final class PineconeStandInServer {

    public static final int MAX_UPSERT_VECTORS = 1000;
    public static final int MAX_UPSERT_BYTES = 2 * 1024 * 1024;
    public static final int MAX_METADATA_BYTES = 40 * 1024;
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final int dimension;
    private final String apiKey;
    private final Map<String, NavigableMap<String, Vector>> namespaces = new TreeMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicReference<Status> injectedStatus = new AtomicReference<>(Status.UNAVAILABLE);
    private volatile Duration latency = Duration.ZERO;
    private int port;
    private Server server;

    public PineconeStandInServer(int dimension, String apiKey) {
        this.dimension = dimension;
        this.apiKey = apiKey;
    }

    public synchronized void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int attempt = 0; ; attempt++) {
            try {
                server = NettyServerBuilder.forAddress(address)
                        .addService(ServerInterceptors.intercept(new DataPlane(), new ApiKeyCheck()))
                        .maxInboundMessageSize(16 * 1024 * 1024)
                        .build().start();
                break;
            } catch (IOException e) {
                if (!(e.getCause() instanceof BindException || e instanceof BindException) || attempt > 50) {
                    throw e;
                }
                sleep(Duration.ofMillis(100));
            }
        }
        port = server.getPort();
    }

    /** Stops listening: calls fail as against an unreachable Pinecone. {@link #start()} again reuses the port. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Before a test: running again (a test may have stopped it) with no faults injected and counts at zero. */
    public synchronized void upAndClean() throws IOException {
        if (server == null) {
            start();
        }
        resetFaultsAndCounts();
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** What the client's {@code withHost}/{@code setHost} takes, for plaintext (TLS off). */
    public String host() {
        return "http://127.0.0.1:" + port;
    }

    public int dimension() {
        return dimension;
    }

    /** The next {@code n} calls (any method) fail with {@code status}, before touching the data. */
    public void failNext(int n, Status status) {
        injectedStatus.set(status);
        failuresToInject.set(n);
    }

    /** Every call waits this long before it is served. */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** Calls received per gRPC method name ({@code Upsert}, {@code Query}...), failed ones included. */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** Forgets counts, faults and latency; the data stays. */
    public void resetFaultsAndCounts() {
        calls.clear();
        failuresToInject.set(0);
        latency = Duration.ZERO;
    }

    /** Names of the namespaces that hold records (to scan everything that left the edge). */
    public synchronized java.util.Set<String> namespaces() {
        return java.util.Set.copyOf(namespaces.keySet());
    }

    /** Everything stored in a namespace (to scan what left the edge). */
    public synchronized List<Vector> stored(String namespace) {
        return List.copyOf(namespaces.getOrDefault(namespace, new TreeMap<>()).values());
    }

    public synchronized void clear() {
        namespaces.clear();
    }

    private final class ApiKeyCheck implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            calls.computeIfAbsent(call.getMethodDescriptor().getBareMethodName(), m -> new AtomicInteger())
                    .incrementAndGet();
            if (!apiKey.equals(headers.get(API_KEY))) {
                call.close(Status.UNAUTHENTICATED.withDescription("Invalid API key"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private final class DataPlane extends VectorServiceGrpc.VectorServiceImplBase {

        @Override
        public void upsert(UpsertRequest request, StreamObserver<UpsertResponse> response) {
            serve(response, () -> {
                if (request.getVectorsCount() > MAX_UPSERT_VECTORS) {
                    throw invalid("Upsert of " + request.getVectorsCount() + " vectors: the limit is "
                            + MAX_UPSERT_VECTORS + " per request");
                }
                if (request.getSerializedSize() > MAX_UPSERT_BYTES) {
                    throw invalid("Upsert request of " + request.getSerializedSize() + " bytes exceeds 2MB");
                }
                for (Vector v : request.getVectorsList()) {
                    checkDimension(v.getValuesCount());
                    int metadataBytes = StructJson.bytes(v.getMetadata());
                    if (metadataBytes > MAX_METADATA_BYTES) {
                        throw invalid("Metadata size is " + metadataBytes + " bytes, which exceeds the limit of "
                                + MAX_METADATA_BYTES + " bytes per vector");
                    }
                    checkFlat(v.getMetadata());
                }
                synchronized (PineconeStandInServer.this) {
                    NavigableMap<String, Vector> ns = namespace(request.getNamespace());
                    request.getVectorsList().forEach(v -> ns.put(v.getId(), v));
                }
                return UpsertResponse.newBuilder().setUpsertedCount(request.getVectorsCount()).build();
            });
        }

        @Override
        public void query(QueryRequest request, StreamObserver<QueryResponse> response) {
            serve(response, () -> {
                if (request.getTopK() < 1 || request.getTopK() > 10_000) {
                    throw invalid("top_k must be between 1 and 10000");
                }
                List<Float> query;
                List<Vector> candidates;
                synchronized (PineconeStandInServer.this) {
                    NavigableMap<String, Vector> ns = namespace(request.getNamespace());
                    if (!request.getId().isEmpty()) {
                        Vector byId = ns.get(request.getId());
                        query = byId == null ? List.of() : byId.getValuesList();
                    } else {
                        query = request.getVectorList();
                        checkDimension(query.size());
                    }
                    candidates = List.copyOf(ns.values());
                }
                QueryResponse.Builder out = QueryResponse.newBuilder().setNamespace(request.getNamespace());
                if (query.isEmpty()) {
                    return out.build();
                }
                candidates.stream()
                        .filter(v -> !request.hasFilter() || filter(request.getFilter(), v.getMetadata()))
                        .map(v -> new Scored(v, cosine(query, v.getValuesList())))
                        .sorted(Comparator.comparingDouble(Scored::score).reversed()
                                .thenComparing(s -> s.vector().getId()))
                        .limit(request.getTopK())
                        .forEach(s -> {
                            ScoredVector.Builder match = ScoredVector.newBuilder().setId(s.vector().getId())
                                    .setScore((float) s.score());
                            if (request.getIncludeValues()) {
                                match.addAllValues(s.vector().getValuesList());
                            }
                            if (request.getIncludeMetadata()) {
                                match.setMetadata(s.vector().getMetadata());
                            }
                            out.addMatches(match);
                        });
                return out.build();
            });
        }

        @Override
        public void fetch(FetchRequest request, StreamObserver<FetchResponse> response) {
            serve(response, () -> {
                FetchResponse.Builder out = FetchResponse.newBuilder().setNamespace(request.getNamespace());
                synchronized (PineconeStandInServer.this) {
                    NavigableMap<String, Vector> ns = namespace(request.getNamespace());
                    request.getIdsList().stream().filter(ns::containsKey).forEach(id -> out.putVectors(id, ns.get(id)));
                }
                return out.build();
            });
        }

        @Override
        public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
            serve(response, () -> {
                synchronized (PineconeStandInServer.this) {
                    NavigableMap<String, Vector> ns = namespace(request.getNamespace());
                    if (request.getDeleteAll()) {
                        ns.clear();
                    } else if (request.hasFilter()) {
                        ns.values().removeIf(v -> filter(request.getFilter(), v.getMetadata()));
                    } else {
                        request.getIdsList().forEach(ns::remove);
                    }
                }
                return DeleteResponse.getDefaultInstance();
            });
        }

        @Override
        public void list(ListRequest request, StreamObserver<ListResponse> response) {
            serve(response, () -> {
                int limit = request.hasLimit() ? request.getLimit() : 100;
                if (limit < 1 || limit > 100) {
                    throw invalid("limit must be between 1 and 100");
                }
                String prefix = request.hasPrefix() ? request.getPrefix() : "";
                String after = request.hasPaginationToken() ? decodeToken(request.getPaginationToken()) : null;
                List<String> ids = new ArrayList<>();
                boolean more;
                synchronized (PineconeStandInServer.this) {
                    NavigableMap<String, Vector> ns = namespace(request.getNamespace());
                    NavigableMap<String, Vector> tail = after == null ? ns.tailMap(prefix, true) : ns.tailMap(after, false);
                    for (String id : tail.keySet()) {
                        if (!id.startsWith(prefix) || ids.size() == limit) {
                            break;
                        }
                        ids.add(id);
                    }
                    String next = ids.isEmpty() ? null : ns.higherKey(ids.get(ids.size() - 1));
                    more = ids.size() == limit && next != null && next.startsWith(prefix);
                }
                ListResponse.Builder out = ListResponse.newBuilder().setNamespace(request.getNamespace());
                ids.forEach(id -> out.addVectors(ListItem.newBuilder().setId(id)));
                if (more) {
                    out.setPagination(Pagination.newBuilder().setNext(encodeToken(ids.get(ids.size() - 1))));
                }
                return out.build();
            });
        }

        @Override
        public void describeIndexStats(DescribeIndexStatsRequest request,
                                       StreamObserver<DescribeIndexStatsResponse> response) {
            serve(response, () -> {
                DescribeIndexStatsResponse.Builder out = DescribeIndexStatsResponse.newBuilder()
                        .setDimension(dimension).setMetric("cosine").setVectorType("dense");
                int total = 0;
                synchronized (PineconeStandInServer.this) {
                    for (Map.Entry<String, NavigableMap<String, Vector>> ns : namespaces.entrySet()) {
                        long count = ns.getValue().values().stream()
                                .filter(v -> !request.hasFilter() || filter(request.getFilter(), v.getMetadata()))
                                .count();
                        if (count > 0) {
                            out.putNamespaces(ns.getKey(), NamespaceSummary.newBuilder().setVectorCount((int) count)
                                    .build());
                            total += (int) count;
                        }
                    }
                }
                return out.setTotalVectorCount(total).build();
            });
        }
    }

    private record Scored(Vector vector, double score) {
    }

    /** Latency, then an injected failure if one is due, then the real work; bad input answers INVALID_ARGUMENT. */
    private <T> void serve(StreamObserver<T> response, Supplier<T> work) {
        sleep(latency);
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            response.onError(injectedStatus.get().withDescription("injected by the stand-in").asRuntimeException());
            return;
        }
        T result;
        try {
            result = work.get();
        } catch (InvalidArgument e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("Invalid filter: " + e.getMessage())
                    .asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    private static boolean filter(Struct filter, Struct metadata) {
        return PineconeFilter.matches(filter, metadata);
    }

    private NavigableMap<String, Vector> namespace(String name) {
        return namespaces.computeIfAbsent(name, n -> new TreeMap<>());
    }

    private void checkDimension(int actual) {
        if (actual != dimension) {
            throw invalid("Vector dimension " + actual + " does not match the dimension of the index " + dimension);
        }
    }

    /** Pinecone metadata values: string, number, boolean, or a list of strings; nothing nested, no nulls. */
    private static void checkFlat(Struct metadata) {
        for (Map.Entry<String, Value> e : metadata.getFieldsMap().entrySet()) {
            Value v = e.getValue();
            boolean ok = switch (v.getKindCase()) {
                case STRING_VALUE, NUMBER_VALUE, BOOL_VALUE -> true;
                case LIST_VALUE -> v.getListValue().getValuesList().stream()
                        .allMatch(x -> x.getKindCase() == Value.KindCase.STRING_VALUE);
                default -> false;
            };
            if (!ok) {
                throw invalid("Metadata value for field '" + e.getKey() + "' must be a string, number, boolean "
                        + "or list of strings, got " + v.getKindCase());
            }
        }
    }

    static double cosine(List<Float> a, List<Float> b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
            na += a.get(i) * a.get(i);
            nb += b.get(i) * b.get(i);
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static String encodeToken(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid pagination token");
        }
    }

    private static final class InvalidArgument extends RuntimeException {
        InvalidArgument(String message) {
            super(message);
        }
    }

    private static InvalidArgument invalid(String message) {
        return new InvalidArgument(message);
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
