package io.edgerag.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C trace context in the two places it outlives a thread: the {@code traceparent} column of an
 * outbox row (a change may be published long after the request that made it) and the headers of a
 * change record on Kafka. Always W3C, whatever propagators are configured for HTTP: the stored form
 * is a contract between nodes, and the receiving node may run another configuration.
 */
public final class TraceContexts {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContexts() {
    }

    /** The {@code traceparent} of the span current in {@code context}; null when there is no sampled-or-not valid span. */
    public static String traceparent(Context context) {
        if (context == null || !Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The remote parent a stored {@code traceparent} names; {@link Context#root()} when absent or unreadable. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP_GETTER);
    }

    /** The remote parent carried by Kafka record headers (the last value of each key wins). */
    public static Context fromHeaders(Headers headers) {
        if (headers == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>();
        for (String key : List.of(TRACEPARENT, TRACESTATE)) {
            Header h = headers.lastHeader(key);
            if (h != null && h.value() != null) {
                carrier.put(key, new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return carrier.isEmpty() ? Context.root() : W3C.extract(Context.root(), carrier, MAP_GETTER);
    }

    /** The headers that carry {@code context} to another node (empty when it has no valid span). */
    public static Map<String, String> headersOf(Context context) {
        Map<String, String> carrier = new HashMap<>();
        if (context != null && Span.fromContext(context).getSpanContext().isValid()) {
            W3C.inject(context, carrier, Map::put);
        }
        return carrier;
    }

    /** True when {@code context} holds a valid (possibly remote) span context. */
    public static boolean hasSpan(Context context) {
        SpanContext sc = Span.fromContext(context).getSpanContext();
        return sc.isValid();
    }
}
