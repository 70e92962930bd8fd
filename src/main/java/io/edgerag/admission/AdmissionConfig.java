package io.edgerag.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code edgerag.admission.*}: how much work of each kind the appliance takes on at once. Every lane
 * has a bounded number of slots, a bounded wait queue and a deadline for waiting; nothing queues
 * without bound. A refused request gets {@code 503} with {@code Retry-After} (problem+json), except a
 * chat refused by the generation lane when {@code generation.on-overload=degrade}: it gets an
 * extractive answer at once (through the {@code extractive} lane, so a flood of those cannot starve search).
 */
@ConfigMapping(prefix = "edgerag.admission")
public interface AdmissionConfig {

    /** Streams to Ollama: set {@code max-concurrent} to Ollama's {@code OLLAMA_NUM_PARALLEL}. */
    Generation generation();

    /** Extractive answers for chats the generation lane refused (CPU: query embedding + search). */
    Extractive extractive();

    /** {@code POST /api/search}. */
    Search search();

    /** {@code POST /api/documents} (parse, chunk, embed, write). */
    Ingest ingest();

    /** What a chat gets when the generation lane is full or its wait ran out. */
    enum OnOverload {
        /** An extractive answer from the best passages at once, flagged {@code degraded} (reason "overloaded"). */
        degrade,
        /** {@code 503} + {@code Retry-After}, problem+json, before any SSE event. */
        reject
    }

    interface Generation {
        /** Concurrent chat streams to Ollama; match {@code OLLAMA_NUM_PARALLEL} (one GPU: 1-8). */
        @WithDefault("4")
        int maxConcurrent();

        /** Chats waiting for a stream slot; one more is refused at once. */
        @WithDefault("8")
        int maxQueued();

        /** Longest a chat waits for a slot before it is refused (its time to first token grows by this). */
        @WithDefault("2s")
        Duration queueTimeout();

        /** {@code Retry-After} of a refused chat. */
        @WithDefault("2s")
        Duration retryAfter();

        /** {@code degrade} (extractive answer, default) or {@code reject} (503). */
        @WithDefault("degrade")
        OnOverload onOverload();
    }

    interface Extractive {
        /** Extractive answers computed at once. */
        @WithDefault("2")
        int maxConcurrent();

        @WithDefault("32")
        int maxQueued();

        @WithDefault("1s")
        Duration queueTimeout();

        @WithDefault("2s")
        Duration retryAfter();
    }

    interface Search {
        /** Searches running at once (each embeds the query on a worker thread). */
        @WithDefault("8")
        int maxConcurrent();

        @WithDefault("64")
        int maxQueued();

        @WithDefault("2s")
        Duration queueTimeout();

        @WithDefault("1s")
        Duration retryAfter();
    }

    interface Ingest {
        /** Documents ingested at once; ONNX embedding already uses every core, so more only queues inside it. */
        @WithDefault("1")
        int maxConcurrent();

        @WithDefault("32")
        int maxQueued();

        @WithDefault("30s")
        Duration queueTimeout();

        @WithDefault("5s")
        Duration retryAfter();
    }
}
