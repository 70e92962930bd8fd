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

    Cloud cloud();

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
         * MiniLM ingests 4x faster (bench/README.md). This is the model of a new, empty store only: a store
         * keeps the model it was written with (vectors of different models share a dimension but not a
         * space) and moves to another by a re-embedding migration (README "Re-embedding migration").
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

        /**
         * Cores one query embedding may use (in-process models; absent = all). A search waits for it, so it
         * gets them all.
         */
        Optional<Integer> queryThreads();

        /**
         * Threads that embed passages (ingest, connectors, sync re-embedding), one core each, at the lowest CPU
         * priority (absent = half the cores, at least one): a bulk ingest must leave the searches the rest,
         * and yield the one it has when a search wants it (issue 10, bench/load.sh).
         */
        Optional<Integer> passageThreads();
        /** The background build of a blue-green re-embedding migration ({@code POST /api/admin/embedding/migrations}). */
        Migration migration();

        interface Migration {
            /** Stored chunks re-embedded with the target model per step of the background build. */
            @WithDefault("16")
            int batchSize();

            /**
             * Pause between two steps of the build: the build runs on one low-priority thread and yields this
             * long after each batch, so searches and ingest keep the CPU they need.
             */
            @WithDefault("50ms")
            Duration pause();

            /**
             * Cut over to the target model on its own as soon as every live chunk has a target vector; false:
             * wait for {@code POST /api/admin/embedding/migrations/cut-over}.
             */
            @WithDefault("true")
            boolean autoCutOver();
        }
    }

    interface Retrieval {
        /** Passages returned when a request gives no k. */
        @WithDefault("5")
        int defaultK();

        /** Largest k a request may ask for. */
        @WithDefault("100")
        int maxK();

        /**
         * Ranking when a request names none: {@code vector}, {@code keyword} (BM25) or {@code hybrid} (both,
         * fused). Hybrid by measurement: SciFact nDCG@10 in README "Retrieval quality".
         */
        @WithDefault("hybrid")
        io.edgerag.retrieval.RetrievalMode mode();

        Fusion fusion();

        /** How hybrid mode fuses the vector and keyword rankings. */
        interface Fusion {
            /** {@code rrf} (reciprocal rank fusion, scale-free) or {@code weighted} (min-max normalised scores). */
            @WithDefault("rrf")
            io.edgerag.retrieval.fusion.FusionMethod method();

            /** RRF's rank constant k (60 in the original paper). */
            @WithDefault("60")
            int rrfK();

            /** Weight of the keyword ranking in weighted fusion; the vector ranking gets 1 minus this. */
            @WithDefault("0.3")
            double keywordWeight();

            /** Candidates each ranking contributes before fusion (never fewer than the k asked for). */
            @WithDefault("50")
            int depth();
        }

        /**
         * τ: when the best local cosine similarity is at least this, the answer is local and the cloud is
         * not asked. Absent = the default for the configured embedding model (see
         * {@code io.edgerag.retrieval.FallbackThreshold}: bge-small-en-v15-q 0.80, all-minilm-l6-v2 0.60,
         * other models 0.60); similarities are not comparable across models, hence one τ per model.
         */
        Optional<Double> cloudFallbackThreshold();

        /**
         * Longest the cloud may take to answer a fallback query; past it the local passages are returned,
         * flagged {@code cloudStatus: timeout}. Counts as a failure for the circuit breaker.
         */
        @WithDefault("200ms")
        Duration cloudBudget();

        CloudBreaker cloudBreaker();

        /** Circuit breaker in front of the cloud fallback (SmallRye Fault Tolerance). */
        interface CloudBreaker {
            /** Size of the rolling window of cloud calls the failure ratio is computed over. */
            @WithDefault("4")
            int requestVolumeThreshold();

            /** Share of failed (error or over budget) calls in the window that opens the circuit. */
            @WithDefault("0.5")
            double failureRatio();

            /** How long the circuit stays open (cloud skipped, {@code cloudStatus: open}) before a trial call. */
            @WithDefault("10s")
            Duration delay();
        }
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

        /**
         * How long Ollama keeps the chat model loaded after a request ({@code keep_alive}, sent with the
         * warm-up and every chat): a model unloaded between users costs the next one its load time.
         */
        @WithDefault("30m")
        String keepAlive();

        /** At start-up ask Ollama to load the chat model (and embed one query to load the embedding model). */
        @WithDefault("true")
        boolean warmUp();

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

        /**
         * The chat model's context window in tokens, sent to Ollama as {@code num_ctx}; passages and
         * history are fitted into it (best passages first, then the newest turns), less {@code answer-tokens}.
         */
        @WithDefault("4096")
        int contextWindow();

        /** Tokens kept free for the answer, sent to Ollama as {@code num_predict} (the longest answer). */
        @WithDefault("512")
        int answerTokens();

        Canary canary();

        /**
         * A second chat model answering a share of the chats, picked by the hash of the session (or user)
         * key so a user stays on one arm; the start state of what {@code /api/admin/canary} changes live.
         */
        interface Canary {
            /** The canary's Ollama model; absent = no canary (every chat on {@code edgerag.ollama.model}). */
            Optional<String> model();

            /** Share of sessions on the canary, 0 to 1. */
            @WithDefault("0")
            double share();
        }
    }

    /** The cloud tier (architecture: "Cloud store"); standalone by default. */
    interface Cloud {
        /**
         * Which {@code CloudVectorStore} adapter to use, by CDI name: {@code none} (standalone: retrieval
         * stays local, nothing leaves the edge) or {@code pinecone}.
         */
        @WithDefault("none")
        String store();

        Pinecone pinecone();

        /** Pinecone data plane (gRPC), used when {@code edgerag.cloud.store=pinecone}. */
        interface Pinecone {
            /**
             * The index host from the Pinecone console ({@code my-index-abc123.svc.aped-1234.pinecone.io});
             * a scheme, if given, is ignored. Required for {@code pinecone}.
             */
            Optional<String> indexHost();

            /**
             * API key; give it through the environment ({@code EDGERAG_CLOUD_PINECONE_API_KEY}) or a
             * Kubernetes Secret, never in a file under version control. Never logged. Required for {@code pinecone}.
             */
            Optional<String> apiKey();

            /**
             * TLS to the index host (the default). Off only for a stand-in on a loopback address
             * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}); start-up fails when it is off for any
             * other host, unless {@code allow-remote-plaintext} says so.
             */
            @WithDefault("true")
            boolean tls();

            /**
             * Lets {@code tls=false} reach a host that is not loopback (an emulator on another box of a lab
             * network). Never for Pinecone itself: passages and vectors would cross the network unencrypted.
             */
            @WithDefault("false")
            boolean allowRemotePlaintext();

            /** Deadline of one gRPC call (one attempt); an attempt past it is cancelled and retried. */
            @WithDefault("2s")
            Duration callTimeout();

            /** Retries of a call that failed transiently (UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL, deadline). */
            @WithDefault("3")
            int maxRetries();

            /** First retry delay; doubles per retry up to {@code max-backoff}, with ±50% jitter. */
            @WithDefault("100ms")
            Duration initialBackoff();

            /** Longest delay between two retries. */
            @WithDefault("2s")
            Duration maxBackoff();

            /** Most vectors in one upsert request (Pinecone's limit is 1000). */
            @WithDefault("1000")
            int maxBatchRecords();

            /** Most bytes in one upsert request (Pinecone's limit is 2 MB). */
            @WithDefault("2000000")
            int maxBatchBytes();

            /** Most metadata bytes per vector (Pinecone's limit is 40 KB); longer chunk text is truncated. */
            @WithDefault("40960")
            int maxMetadataBytes();
        }
    }
}
