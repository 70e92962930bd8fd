package io.edgerag.store.local.faiss;

import io.edgerag.store.local.VectorIndex;
import io.edgerag.store.local.faiss.jni.FaissIndex;
import io.edgerag.store.local.faiss.jni.IDSelectorBitmap;
import io.edgerag.store.local.faiss.jni.IndexHNSW;
import io.edgerag.store.local.faiss.jni.IndexIVF;
import io.edgerag.store.local.faiss.jni.SearchParameters;
import io.edgerag.store.local.faiss.jni.SearchParametersHNSW;
import io.edgerag.store.local.faiss.jni.SearchParametersIVF;
import io.edgerag.store.local.faiss.jni.global.faiss;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * {@link VectorIndex} over a native FAISS index (inner-product metric). Create with
 * {@link FaissVectorIndexes}.
 *
 * <p>The allow-bitmap is applied inside the search as an {@code IDSelectorBitmap} in per-call search
 * parameters for flat, HNSW and IVF indexes (bits beyond the bitmap's end count as "not allowed").
 * Index types whose FAISS search rejects a selector in 1.7.3 (e.g. {@code PQ}, {@code PCA..,} pre-transforms,
 * {@code IDMap}) fall back to over-fetching: search for more neighbours, filter, and widen until
 * {@code k} allowed hits are found or the whole index was searched.
 *
 * <p>Arrays cross JNI through per-thread native buffers (one bulk copy each way, no per-element JNI).
 */
public final class FaissVectorIndex implements VectorIndex {

    /** How the index accepts per-call parameters. */
    enum Kind { FLAT, HNSW, IVF, OTHER }

    private final int dimension;
    private final Kind kind;
    private final String description;
    private FaissIndex index;
    private final IndexHNSW hnsw;
    private final IndexIVF ivf;

    FaissVectorIndex(FaissIndex index, String description) {
        this.index = Objects.requireNonNull(index, "index");
        this.dimension = index.d();
        this.description = description;
        IndexHNSW h = faiss.as_hnsw(index);
        IndexIVF i = faiss.as_ivf(index);
        this.hnsw = h == null || h.isNull() ? null : h;
        this.ivf = i == null || i.isNull() ? null : i;
        if (hnsw != null) {
            kind = Kind.HNSW;
        } else if (ivf != null) {
            kind = Kind.IVF;
        } else {
            // IndexPQ derives from IndexFlatCodes but rejects selectors in 1.7.3
            boolean flatCodes = notNull(faiss.as_flat_codes(index)) && !notNull(faiss.as_pq(index));
            kind = flatCodes ? Kind.FLAT : Kind.OTHER;
        }
    }

    Kind kind() {
        return kind;
    }

    private static boolean notNull(org.bytedeco.javacpp.Pointer p) {
        return p != null && !p.isNull();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long size() {
        return open().ntotal();
    }

    @Override
    public boolean isTrained() {
        return open().is_trained();
    }

    /** The factory string (or file) this index came from, for diagnostics. */
    public String description() {
        return description;
    }

    /** True when the allow-bitmap is applied inside the FAISS search (no over-fetching). */
    public boolean selectorInSearch() {
        return kind != Kind.OTHER;
    }

    /** HNSW only: the default efSearch used when {@link SearchTuning#efSearch()} is 0. */
    public void setDefaultEfSearch(int efSearch) {
        if (hnsw == null) {
            throw new IllegalStateException("not an HNSW index: " + description);
        }
        requirePositive(efSearch, "efSearch");
        hnsw.hnsw().efSearch(efSearch);
    }

    /** HNSW only: efConstruction for vectors added from now on. */
    public void setEfConstruction(int efConstruction) {
        if (hnsw == null) {
            throw new IllegalStateException("not an HNSW index: " + description);
        }
        requirePositive(efConstruction, "efConstruction");
        hnsw.hnsw().efConstruction(efConstruction);
    }

    /** IVF only: the default nprobe used when {@link SearchTuning#nprobe()} is 0. */
    public void setDefaultNprobe(int nprobe) {
        if (ivf == null) {
            throw new IllegalStateException("not an IVF index: " + description);
        }
        requirePositive(nprobe, "nprobe");
        ivf.nprobe(nprobe);
    }

    @Override
    public void train(float[] vectors, int n) {
        FaissIndex idx = open();
        checkVectors(vectors, n, "train");
        if (idx.is_trained()) {
            return;
        }
        Buffers b = Buffers.get();
        idx.train(n, b.input(vectors, (long) n * dimension));
    }

    @Override
    public void add(float[] vectors, int n) {
        FaissIndex idx = open();
        checkVectors(vectors, n, "add");
        if (!idx.is_trained()) {
            throw new IllegalStateException("index " + description + " must be trained before add");
        }
        Buffers b = Buffers.get();
        idx.add(n, b.input(vectors, (long) n * dimension));
    }

    @Override
    public SearchHits search(float[] queries, int nq, int k, ByteBuffer allowed, SearchTuning tuning) {
        FaissIndex idx = open();
        checkVectors(queries, nq, "search");
        requirePositive(k, "k");
        if (!idx.is_trained()) {
            throw new IllegalStateException("index " + description + " must be trained before search");
        }
        SearchTuning t = tuning == null ? SearchTuning.DEFAULT : tuning;
        if (t.efSearch() < 0 || t.nprobe() < 0) {
            throw new IllegalArgumentException("efSearch and nprobe must be >= 0, got " + t);
        }
        if (allowed != null && kind == Kind.OTHER) {
            return overFetchSearch(idx, queries, nq, k, allowed, t);
        }
        Buffers b = Buffers.get();
        FloatPointer x = b.input(queries, (long) nq * dimension);
        long total = (long) nq * k;
        FloatPointer distances = b.distances(total);
        LongPointer labels = b.labels(total);
        BytePointer bitmapCopy = null;
        IDSelectorBitmap selector = null;
        SearchParameters params = null;
        try {
            if (allowed != null) {
                bitmapCopy = bitmapPointer(allowed);
                selector = new IDSelectorBitmap(allowed.remaining(), bitmapCopy);
            }
            params = parameters(t, k, selector);
            idx.search(nq, x, k, distances, labels, params);
            long[] positions = new long[(int) total];
            float[] scores = new float[(int) total];
            labels.get(positions);
            distances.get(scores);
            return new SearchHits(nq, k, positions, scores);
        } finally {
            if (params != null) {
                params.close();
            }
            if (selector != null) {
                selector.close();
            }
            if (bitmapCopy != null) {
                bitmapCopy.close();
            }
        }
    }

    /** Builds per-call parameters, or null when the index defaults apply and nothing is filtered. */
    private SearchParameters parameters(SearchTuning t, int k, IDSelectorBitmap selector) {
        switch (kind) {
            case HNSW: {
                if (selector == null && t.efSearch() == 0) {
                    return null;
                }
                SearchParametersHNSW p = new SearchParametersHNSW();
                int ef = t.efSearch() > 0 ? t.efSearch() : hnsw.hnsw().efSearch();
                p.efSearch(Math.max(ef, k));
                p.check_relative_distance(hnsw.hnsw().check_relative_distance());
                p.sel(selector);
                return p;
            }
            case IVF: {
                if (selector == null && t.nprobe() == 0) {
                    return null;
                }
                SearchParametersIVF p = new SearchParametersIVF();
                p.nprobe(t.nprobe() > 0 ? t.nprobe() : ivf.nprobe());
                p.max_codes(ivf.max_codes());
                p.sel(selector);
                return p;
            }
            case FLAT: {
                if (selector == null) {
                    return null;
                }
                SearchParameters p = new SearchParameters();
                p.sel(selector);
                return p;
            }
            default:
                return null; // tuning does not apply; selector handled by over-fetching
        }
    }

    /** For index types that reject a selector: search wider and filter, widening until done. */
    private SearchHits overFetchSearch(FaissIndex idx, float[] queries, int nq, int k, ByteBuffer allowed,
            SearchTuning t) {
        long ntotal = idx.ntotal();
        long[] positions = new long[nq * k];
        float[] scores = new float[nq * k];
        java.util.Arrays.fill(positions, -1L);
        java.util.Arrays.fill(scores, Float.NaN);
        Buffers b = Buffers.get();
        for (int q = 0; q < nq; q++) {
            float[] one = java.util.Arrays.copyOfRange(queries, q * dimension, (q + 1) * dimension);
            long fetch = Math.min(Math.max(ntotal, 1), Math.max(4L * k, 64));
            while (true) {
                FloatPointer x = b.input(one, dimension);
                FloatPointer d = b.distances(fetch);
                LongPointer l = b.labels(fetch);
                idx.search(1, x, fetch, d, l, (SearchParameters) null);
                int found = 0;
                for (long i = 0; i < fetch && found < k; i++) {
                    long pos = l.get(i);
                    if (pos >= 0 && isAllowed(allowed, pos)) {
                        positions[q * k + found] = pos;
                        scores[q * k + found] = d.get(i);
                        found++;
                    }
                }
                if (found == k || fetch >= ntotal) {
                    for (int i = found; i < k; i++) {
                        positions[q * k + i] = -1;
                        scores[q * k + i] = idx.metric_type() == faiss.METRIC_INNER_PRODUCT
                                ? -Float.MAX_VALUE : Float.MAX_VALUE;
                    }
                    break;
                }
                fetch = Math.min(ntotal, fetch * 4);
            }
        }
        return new SearchHits(nq, k, positions, scores);
    }

    private static boolean isAllowed(ByteBuffer bitmap, long pos) {
        long byteIndex = pos >> 3;
        if (byteIndex >= bitmap.remaining()) {
            return false;
        }
        return ((bitmap.get(bitmap.position() + (int) byteIndex) >> (pos & 7)) & 1) != 0;
    }

    /** A pointer to the bitmap bytes: the buffer itself when direct, else a native copy. */
    private static BytePointer bitmapPointer(ByteBuffer allowed) {
        if (allowed.isDirect()) {
            return new BytePointer(allowed); // shares memory, starts at allowed.position()
        }
        BytePointer copy = new BytePointer(allowed.remaining());
        byte[] tmp = new byte[allowed.remaining()];
        allowed.duplicate().get(tmp);
        copy.put(tmp);
        return copy;
    }

    @Override
    public void save(Path file) {
        Objects.requireNonNull(file, "file");
        faiss.write_index(open(), file.toAbsolutePath().toString());
    }

    @Override
    public synchronized void close() {
        if (index != null) {
            faiss.delete_index(index);
            index.setNull();
            index = null;
        }
    }

    private FaissIndex open() {
        FaissIndex idx = index;
        if (idx == null) {
            throw new IllegalStateException("index " + description + " is closed");
        }
        return idx;
    }

    private void checkVectors(float[] vectors, int n, String what) {
        Objects.requireNonNull(vectors, what + ": vectors");
        if (n <= 0) {
            throw new IllegalArgumentException(what + ": n must be > 0, got " + n);
        }
        long expected = (long) n * dimension;
        if (vectors.length != expected) {
            throw new IllegalArgumentException(what + ": dimension mismatch: expected n*d = " + n + "*" + dimension
                    + " = " + expected + " floats, got " + vectors.length);
        }
        for (int i = 0; i < vectors.length; i++) {
            if (!Float.isFinite(vectors[i])) {
                throw new IllegalArgumentException(what + ": vector " + (i / dimension) + " component "
                        + (i % dimension) + " is " + vectors[i] + " (NaN/infinite values are not allowed)");
            }
        }
    }

    private static void requirePositive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** Per-thread native buffers, grown on demand and reused across calls. */
    private static final class Buffers {
        private static final ThreadLocal<Buffers> LOCAL = ThreadLocal.withInitial(Buffers::new);
        private FloatPointer in = new FloatPointer(0L);
        private FloatPointer dist = new FloatPointer(0L);
        private LongPointer lab = new LongPointer(0L);

        static Buffers get() {
            return LOCAL.get();
        }

        FloatPointer input(float[] src, long count) {
            if (in.capacity() < count) {
                in.close();
                in = new FloatPointer(count);
            }
            in.position(0).put(src, 0, (int) count);
            return in;
        }

        FloatPointer distances(long count) {
            if (dist.capacity() < count) {
                dist.close();
                dist = new FloatPointer(count);
            }
            return dist.position(0);
        }

        LongPointer labels(long count) {
            if (lab.capacity() < count) {
                lab.close();
                lab = new LongPointer(count);
            }
            return lab.position(0);
        }
    }
}
