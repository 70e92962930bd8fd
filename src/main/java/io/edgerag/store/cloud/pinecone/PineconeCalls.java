package io.edgerag.store.cloud.pinecone;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.edgerag.store.cloud.CloudStoreException;
import io.edgerag.store.cloud.CloudStoreUnavailableException;
import io.edgerag.store.cloud.InvalidCloudRequestException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pinecone.exceptions.PineconeValidationException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns one call of the client's {@code AsyncIndex} into a {@link Uni}: a deadline per attempt (the
 * gRPC call is cancelled when it passes), retries with exponential backoff and jitter on transient
 * failures, and Pinecone's errors translated into the port's exceptions. Nothing blocks: the future's
 * callback completes the Uni on gRPC's own threads.
 */
final class PineconeCalls {

    /** gRPC's equivalents of HTTP 429 and 5xx, plus our own per-attempt deadline. */
    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.INTERNAL, Status.Code.ABORTED, Status.Code.DEADLINE_EXCEEDED);

    private final PineconeSettings settings;
    private final Runnable reconnectNow;

    /**
     * @param reconnectNow asked before a retry of UNAVAILABLE: gRPC otherwise waits out its own reconnect
     *                     backoff (up to minutes) and fails every retry fast, so our backoff would be moot
     */
    PineconeCalls(PineconeSettings settings, Runnable reconnectNow) {
        this.settings = settings;
        this.reconnectNow = reconnectNow;
    }

    <T> Uni<T> call(String operation, Supplier<ListenableFuture<T>> call) {
        Uni<T> attempt = Uni.createFrom().<T>emitter(emitter -> {
                    ListenableFuture<T> future = call.get();
                    emitter.onTermination(() -> future.cancel(true));
                    Futures.addCallback(future, new FutureCallback<>() {
                        @Override
                        public void onSuccess(T result) {
                            emitter.complete(result);
                        }

                        @Override
                        public void onFailure(Throwable failure) {
                            emitter.fail(failure);
                        }
                    }, MoreExecutors.directExecutor());
                })
                .ifNoItem().after(settings.callTimeout()).fail()
                .onFailure(PineconeCalls::isUnavailable).invoke(reconnectNow);
        Uni<T> retried = settings.maxRetries() == 0 ? attempt : attempt
                .onFailure(PineconeCalls::isTransient).retry()
                .withBackOff(settings.initialBackoff(), settings.maxBackoff()).withJitter(0.5)
                .atMost(settings.maxRetries());
        return retried.onFailure().transform(failure -> translate(operation, failure));
    }

    private static boolean isUnavailable(Throwable failure) {
        return failure instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    static boolean isTransient(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof StatusRuntimeException s && TRANSIENT.contains(s.getStatus().getCode());
    }

    private CloudStoreException translate(String operation, Throwable failure) {
        Throwable root = unwrapRetriesExhausted(failure);
        String where = "Pinecone " + operation + " at " + settings.indexHost();
        if (root instanceof CloudStoreException done) {
            return done;
        }
        if (root instanceof PineconeValidationException || root instanceof IllegalArgumentException) {
            return new InvalidCloudRequestException(where + " refused by the client: " + root.getMessage(), root);
        }
        if (root instanceof TimeoutException) {
            return new CloudStoreUnavailableException(where + ": no answer within " + settings.callTimeout()
                    + " (after " + settings.maxRetries() + " retries)", root);
        }
        if (root instanceof StatusRuntimeException s) {
            Status.Code code = s.getStatus().getCode();
            String detail = s.getStatus().getDescription();
            return switch (code) {
                case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION ->
                        new InvalidCloudRequestException(where + " rejected the request: " + detail, s);
                case UNAUTHENTICATED, PERMISSION_DENIED ->
                        new CloudStoreException(where + " rejected the API key (" + code
                                + "): check edgerag.cloud.pinecone.api-key", s);
                default -> TRANSIENT.contains(code)
                        ? new CloudStoreUnavailableException(where + " failed with " + code + " after "
                        + settings.maxRetries() + " retries: " + detail, s)
                        : new CloudStoreException(where + " failed with " + code + ": " + detail, s);
            };
        }
        return new CloudStoreException(where + " failed: " + root, root);
    }

    /** Mutiny reports spent retries as "Retries exhausted" around the last failure. */
    private static Throwable unwrapRetriesExhausted(Throwable failure) {
        Throwable t = failure;
        while (t instanceof IllegalStateException && t.getCause() != null
                && String.valueOf(t.getMessage()).startsWith("Retries exhausted")) {
            t = t.getCause();
        }
        return t;
    }
}
