package io.edgerag.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every {@code edgerag.*} setting of the appliance; defaults run it standalone on a laptop. */
@ConfigMapping(prefix = "edgerag")
public interface EdgeragConfig {

    /** Directory where the appliance keeps its durable state (local store files). */
    @WithDefault("data")
    String dataDir();

    Ingest ingest();

    Embedding embedding();

    Retrieval retrieval();

    Ollama ollama();

    Generation generation();

    interface Ingest {
        /** Maximum chunk size in tokens (of the embedding model's tokenizer). */
        @WithDefault("300")
        int chunkSize();

        /** Overlap between consecutive chunks, in tokens. */
        @WithDefault("30")
        int chunkOverlap();

        /** How many chunks go to the embedding model in one call. */
        @WithDefault("32")
        int embedBatchSize();

        /** Ingest the sample corpus shipped in {@code sample-corpus/} when the store is empty at startup. */
        @WithDefault("true")
        boolean sampleCorpusOnFirstRun();
    }

    interface Embedding {
        /**
         * Embedding model: {@code all-minilm-l6-v2} or {@code bge-small-en-v15-q} (in-process ONNX), or
         * {@code ollama:<model>} (through the Ollama server at {@code edgerag.ollama.base-url}).
         * Default bge: SciFact nDCG@10 0.710 vs 0.644 for MiniLM at 1.2x the query-embedding time;
         * MiniLM ingests 4x faster (bench/README.md). Changing it needs a fresh data dir: vectors of
         * different models share a dimension but not a space.
         */
        @WithDefault("bge-small-en-v15-q")
        String model();

        /**
         * Text put before every query (never before passages); absent = the model's own default
         * (bge: "Represent this sentence for searching relevant passages: ", others: none).
         */
        Optional<String> queryPrefix();

        /** Dimension of an {@code ollama:} model's vectors; in-process models know their own. */
        Optional<Integer> dimension();
    }

    interface Retrieval {
        /** Passages returned when a request gives no k. */
        @WithDefault("5")
        int defaultK();

        /** Largest k a request may ask for. */
        @WithDefault("100")
        int maxK();
    }

    interface Ollama {
        /** Base URL of the Ollama server used for chat (and for {@code ollama:} embeddings). */
        @WithDefault("http://localhost:11434")
        String baseUrl();

        /** Chat model name as Ollama knows it. */
        @WithDefault("llama3.2")
        String model();

        /** TCP connect timeout; bounds how long an unreachable Ollama delays the degraded answer. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Longest wait for Ollama's response headers (a cold model load can take a while). */
        @WithDefault("120s")
        Duration readTimeout();

        /** Timeout of the {@code /api/tags} health probe. */
        @WithDefault("1s")
        Duration probeTimeout();

        Breaker breaker();

        interface Breaker {
            /** Consecutive failures that open the circuit. */
            @WithDefault("2")
            int failureThreshold();

            /** How long the circuit stays open before one trial request is let through. */
            @WithDefault("30s")
            Duration openDuration();
        }
    }

    interface Generation {
        /** Passages given to the model when a chat request gives no k. */
        @WithDefault("4")
        int defaultK();

        /** Passages quoted by the extractive (degraded) answer. */
        @WithDefault("3")
        int extractivePassages();
    }
}
