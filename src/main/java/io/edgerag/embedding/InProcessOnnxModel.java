package io.edgerag.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One of the ONNX models LangChain4j ships (its artifact's model and tokenizer files, its encoder), opened
 * in an ONNX Runtime session of our own. LangChain4j's model classes share one static session with
 * Runtime defaults: a thread per core that spins after every call. Queries and bulk passages need
 * different things from the same two cores, so each gets its own session:
 * <ul>
 *   <li>{@code intraOpThreads}: how many cores one call may use — all for a query (latency), fewer for
 *       passages so that a bulk ingest can never take every core from the searches;</li>
 *   <li>spinning off: an idle Runtime thread that spins burns the core a search is waiting for;</li>
 *   <li>segments of one call are embedded one after another on the calling thread (no executor of its
 *       own), so the caller's thread pool is what bounds the concurrency.</li>
 * </ul>
 */
final class InProcessOnnxModel extends AbstractInProcessEmbeddingModel implements AutoCloseable {

    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;
    private final int dimension;

    private InProcessOnnxModel(OrtSession session, OnnxBertBiEncoder encoder, int dimension) {
        super(Runnable::run);
        this.session = session;
        this.encoder = encoder;
        this.dimension = dimension;
    }

    static InProcessOnnxModel open(EmbeddingSpec spec, int intraOpThreads) {
        return switch (spec.kind()) {
            case ALL_MINILM_L6_V2 -> open("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
                    PoolingMode.MEAN, spec.dimension(), intraOpThreads);
            case BGE_SMALL_EN_V15_Q -> open("bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
                    PoolingMode.CLS, spec.dimension(), intraOpThreads);
            case OLLAMA -> throw new IllegalArgumentException(spec.id() + " is not an in-process model");
        };
    }

    private static InProcessOnnxModel open(String modelFile, String tokenizerFile, PoolingMode pooling,
                                           int dimension, int intraOpThreads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             InputStream tokenizer = resource(tokenizerFile)) {
            options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(bytes(modelFile), options);
            return new InProcessOnnxModel(session, new OnnxBertBiEncoder(env, session, tokenizer, pooling), dimension);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open embedding model " + modelFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = InProcessOnnxModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (its langchain4j-embeddings-* artifact is missing)");
        }
        return in;
    }

    /** Frees the session's native memory (dev-mode reloads make a new one). */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return dimension;
    }
}
