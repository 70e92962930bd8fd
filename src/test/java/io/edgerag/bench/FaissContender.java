package io.edgerag.bench;

import io.edgerag.store.local.VectorIndex.SearchHits;
import io.edgerag.store.local.VectorIndex.SearchTuning;
import io.edgerag.store.local.faiss.FaissLibrary;
import io.edgerag.store.local.faiss.FaissVectorIndex;
import io.edgerag.store.local.faiss.FaissVectorIndexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A FAISS index through the project's binding ({@link FaissVectorIndex}), inner product. */
final class FaissContender implements Contender {

    enum Knob { NONE, EF_SEARCH, NPROBE }

    private static final int ADD_CHUNK = 20_000;
    private static final int TRAIN_MAX = 100_000;

    private final String factory;
    private final Knob knob;
    private final List<Integer> steps;
    private final Path scratch;
    private FaissVectorIndex index;
    private long indexBytes = -1;
    private int buildThreads;

    FaissContender(String factory, Knob knob, List<Integer> steps, Path scratch) {
        this.factory = factory;
        this.knob = knob;
        this.steps = steps;
        this.scratch = scratch;
    }

    static FaissContender flat(Path scratch) {
        return new FaissContender("Flat", Knob.NONE, List.of(0), scratch);
    }

    static FaissContender hnsw(Path scratch) {
        return new FaissContender("HNSW32", Knob.EF_SEARCH,
                List.of(16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512), scratch);
    }

    static FaissContender ivfPq(String factory, Path scratch) {
        return new FaissContender(factory, Knob.NPROBE, List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), scratch);
    }

    @Override
    public String name() {
        return "FAISS " + factory + " (" + String.valueOf(FaissLibrary.load()).toLowerCase() + ")";
    }

    @Override
    public void build(float[] base, int n, int d) throws Exception {
        FaissLibrary.setThreads(Runtime.getRuntime().availableProcessors()); // searches pinned this thread to 1
        buildThreads = FaissLibrary.maxThreads();
        index = FaissVectorIndexes.create(factory, d, FaissVectorIndexes.DEFAULT_EF_CONSTRUCTION);
        if (!index.isTrained()) {
            int t = Math.min(n, TRAIN_MAX);
            index.train(Arrays.copyOf(base, t * d), t);
        }
        for (int from = 0; from < n; from += ADD_CHUNK) {
            int m = Math.min(ADD_CHUNK, n - from);
            index.add(Arrays.copyOfRange(base, from * d, (from + m) * d), m);
        }
        Path file = scratch.resolve("faiss-" + factory.replaceAll("[^A-Za-z0-9]", "_") + ".index");
        index.save(file);
        indexBytes = Files.size(file);
        Files.delete(file);
    }

    /** The index itself, for ground truth and the JNI measurements. */
    FaissVectorIndex index() {
        return index;
    }

    @Override
    public List<Integer> tuningSteps() {
        return steps;
    }

    @Override
    public String tuningName() {
        return switch (knob) {
            case NONE -> "";
            case EF_SEARCH -> "efSearch";
            case NPROBE -> "nprobe";
        };
    }

    @Override
    public void tune(int value) {
        // set as the index default between measurements (no per-call parameter objects while timing)
        switch (knob) {
            case EF_SEARCH -> index.setDefaultEfSearch(value);
            case NPROBE -> index.setDefaultNprobe(value);
            default -> { }
        }
    }

    @Override
    public void prepareThread() {
        FaissLibrary.setThreads(1); // one query per call: no OpenMP fan-out inside a search
    }

    @Override
    public long[] search(float[] query, int k) {
        SearchHits hits = index.search(query, 1, k, null, SearchTuning.DEFAULT);
        return hits.positions();
    }

    @Override
    public long indexBytes() {
        return indexBytes;
    }

    @Override
    public String note() {
        return "build " + buildThreads + " OpenMP threads" + (knob == Knob.EF_SEARCH ? ", efConstruction 40" : "");
    }

    @Override
    public void close() {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
