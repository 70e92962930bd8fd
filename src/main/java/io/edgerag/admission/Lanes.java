package io.edgerag.admission;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** The appliance's lanes: separate bulkheads, so one kind of work cannot take the slots of another. */
@ApplicationScoped
public class Lanes {

    private final AdmissionConfig config;
    private final Lane generation;
    private final Lane extractive;
    private final Lane search;
    private final Lane ingest;

    public Lanes(AdmissionConfig config, MeterRegistry registry) {
        this.config = config;
        var g = config.generation();
        this.generation = new Lane("generation", g.maxConcurrent(), g.maxQueued(), g.queueTimeout(), g.retryAfter(), registry);
        var e = config.extractive();
        this.extractive = new Lane("extractive", e.maxConcurrent(), e.maxQueued(), e.queueTimeout(), e.retryAfter(), registry);
        var s = config.search();
        this.search = new Lane("search", s.maxConcurrent(), s.maxQueued(), s.queueTimeout(), s.retryAfter(), registry);
        var i = config.ingest();
        this.ingest = new Lane("ingest", i.maxConcurrent(), i.maxQueued(), i.queueTimeout(), i.retryAfter(), registry);
    }

    /** Streams to Ollama (the GPU). */
    public Lane generation() {
        return generation;
    }

    /** Extractive answers for chats the generation lane refused. */
    public Lane extractive() {
        return extractive;
    }

    public Lane search() {
        return search;
    }

    public Lane ingest() {
        return ingest;
    }

    public AdmissionConfig.OnOverload onOverload() {
        return config.generation().onOverload();
    }
}
