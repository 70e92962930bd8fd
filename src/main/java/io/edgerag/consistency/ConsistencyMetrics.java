package io.edgerag.consistency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code edgerag_consistency_writes_total{level,result}} (result met | pending),
 * {@code edgerag_consistency_write_wait_seconds{level}} (time spent beyond the local write),
 * {@code edgerag_consistency_reads_total{level,token}} (token none | met | waited | cloud | unmet),
 * {@code edgerag_consistency_read_wait_seconds}. Kept as plain counts too, for the status page.
 */
@Singleton
public class ConsistencyMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public ConsistencyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void write(WriteLevel level, boolean met, Duration waited) {
        String result = met ? "met" : "pending";
        Counter.builder("edgerag.consistency.writes").tag("level", level.wire()).tag("result", result)
                .description("Writes by consistency level and whether the level was met in time").register(registry).increment();
        if (level != WriteLevel.LOCAL) {
            Timer.builder("edgerag.consistency.write.wait").tag("level", level.wire())
                    .description("Time a write waited beyond its local commit for its level").register(registry).record(waited);
        }
        counts.computeIfAbsent("writes." + level.wire() + "." + result, k -> new AtomicLong()).incrementAndGet();
    }

    public void read(ReadLevel level, String token, Duration waited) {
        Counter.builder("edgerag.consistency.reads").tag("level", level.wire()).tag("token", token)
                .description("Reads by consistency level and what became of their read-your-writes token").register(registry).increment();
        if (!"none".equals(token)) {
            Timer.builder("edgerag.consistency.read.wait")
                    .description("Time a read waited for the version its token names").register(registry).record(waited);
        }
        counts.computeIfAbsent("reads." + level.wire() + ".token." + token, k -> new AtomicLong()).incrementAndGet();
    }

    /** Counts since start, keyed {@code writes.<level>.<result>} and {@code reads.<level>.token.<token>}. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
