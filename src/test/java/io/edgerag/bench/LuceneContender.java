package io.edgerag.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * Lucene 9.12 HNSW ({@code KnnFloatVectorField}, DOT_PRODUCT on normalised vectors) in a temporary
 * {@code FSDirectory} (mmap). One indexing thread with a RAM buffer large enough for one flush, then
 * {@code forceMerge(1)}: the searched index is a single segment, so doc id = position.
 * The knob is the query's {@code k} (Lucene's candidate-list size, like efSearch); the top 10 are kept.
 */
final class LuceneContender implements Contender {

    private static final String FIELD = "v";

    private final int maxConn;
    private final int beamWidth;
    private final Path dir;
    private FSDirectory directory;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private volatile int candidates = 10;
    private long indexBytes = -1;

    LuceneContender(int maxConn, int beamWidth, Path scratch) {
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.dir = scratch.resolve("lucene-m" + maxConn);
    }

    @Override
    public String name() {
        return "Lucene 9.12 HNSW maxConn " + maxConn;
    }

    @Override
    public void build(float[] base, int n, int d) throws Exception {
        Stats.deleteRecursively(dir);
        Files.createDirectories(dir);
        directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig()
                .setRAMBufferSizeMB(1900)
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(maxConn, beamWidth);
                    }
                });
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int i = 0; i < n; i++) {
                float[] v = new float[d];
                System.arraycopy(base, i * d, v, 0, d);
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            writer.commit();
        }
        reader = DirectoryReader.open(directory);
        if (reader.leaves().size() != 1 || reader.maxDoc() != n) {
            throw new IllegalStateException("expected one segment of " + n + " docs, got "
                    + reader.leaves().size() + " segments, " + reader.maxDoc() + " docs");
        }
        searcher = new IndexSearcher(reader);
        indexBytes = Stats.directorySize(dir);
    }

    @Override
    public List<Integer> tuningSteps() {
        return List.of(10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512);
    }

    @Override
    public String tuningName() {
        return "k'";
    }

    @Override
    public void tune(int value) {
        candidates = value;
    }

    @Override
    public long[] search(float[] query, int k) throws Exception {
        TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, Math.max(k, candidates)), k);
        long[] out = new long[k];
        java.util.Arrays.fill(out, -1);
        ScoreDoc[] docs = top.scoreDocs;
        for (int i = 0; i < docs.length && i < k; i++) {
            out[i] = docs[i].doc;
        }
        return out;
    }

    @Override
    public long indexBytes() {
        return indexBytes;
    }

    @Override
    public String note() {
        return "build 1 thread, beamWidth " + beamWidth + ", force-merged to 1 segment, mmap";
    }

    @Override
    public void close() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (directory != null) {
            directory.close();
        }
        Stats.deleteRecursively(dir);
    }
}
