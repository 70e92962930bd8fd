package io.edgerag.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * {@code bench/bm25-reference.sh}: is edgerag's keyword side (Lucene BM25 + the standard English analyzer:
 * possessives, lower case, English stop words, Porter) right? Reproduces the published SciFact BM25
 * figures in their own setups on whole documents — Pyserini's BEIR regressions (Lucene, Porter + English
 * stop words, k1 0.9, b 0.4): "multifield" (title and text fields, scores summed; 0.665, BEIR's anchor)
 * and "flat" (one field; 0.679) — then an Elasticsearch-style best-fields query, and the single-field,
 * Lucene-default (k1 1.2, b 0.75) variant edgerag indexes. The appliance's own figure (chunks, over HTTP)
 * comes from {@code bench/scifact.sh}.
 */
public final class Bm25Reference {

    enum Fields { ONE, DIS_MAX, SUM }

    record Variant(String name, Fields fields, float k1, float b) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = SciFact.locate();
        if (dir == null) {
            throw new IllegalStateException("SciFact not found: set SCIFACT_DIR or run beside shared/data/scifact");
        }
        SciFact data = SciFact.load(dir);
        List<Variant> variants = List.of(
                new Variant("Pyserini BEIR multifield (published 0.665): title + text fields summed, k1 0.9 b 0.4", Fields.SUM, 0.9f, 0.4f),
                new Variant("Pyserini BEIR flat (published 0.679): one field, k1 0.9 b 0.4", Fields.ONE, 0.9f, 0.4f),
                new Variant("Elasticsearch-style best fields: dis-max tie 0.5, k1 1.2 b 0.75", Fields.DIS_MAX, 1.2f, 0.75f),
                new Variant("edgerag's keyword index on whole documents: one field, k1 1.2 b 0.75", Fields.ONE, 1.2f, 0.75f));
        System.out.println("| BM25 variant (Lucene 9.12, EnglishAnalyzer, whole documents) | nDCG@10 | Recall@100 |");
        System.out.println("|---|---|---|");
        for (Variant v : variants) {
            SciFact.Scores s = run(data, v);
            System.out.printf("| %s | %.4f | %.4f |%n", v.name(), s.ndcgAt10(), s.recallAt100());
        }
    }

    static SciFact.Scores run(SciFact data, Variant v) throws Exception {
        Analyzer analyzer = new EnglishAnalyzer();
        BM25Similarity bm25 = new BM25Similarity(v.k1(), v.b());
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setSimilarity(bm25))) {
                for (SciFact.Doc doc : data.corpus()) {
                    Document d = new Document();
                    d.add(new StringField("id", doc.id(), Field.Store.YES));
                    if (v.fields() != Fields.ONE) {
                        d.add(new TextField("title", doc.title(), Field.Store.NO));
                        d.add(new TextField("text", doc.text(), Field.Store.NO));
                    } else {
                        d.add(new TextField("text", doc.title() + "\n" + doc.text(), Field.Store.NO));
                    }
                    writer.addDocument(d);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setSimilarity(bm25);
                QueryBuilder builder = new QueryBuilder(analyzer);
                Map<String, List<String>> ranking = new LinkedHashMap<>();
                for (Map.Entry<String, String> q : data.testQueries().entrySet()) {
                    Query title = builder.createBooleanQuery("title", q.getValue(), BooleanClause.Occur.SHOULD);
                    Query text = builder.createBooleanQuery("text", q.getValue(), BooleanClause.Occur.SHOULD);
                    Query query = switch (v.fields()) {
                        case ONE -> text;
                        case DIS_MAX -> new DisjunctionMaxQuery(List.of(title, text), 0.5f);
                        case SUM -> new BooleanQuery.Builder().add(title, BooleanClause.Occur.SHOULD)
                                .add(text, BooleanClause.Occur.SHOULD).build();
                    };
                    List<String> ids = new ArrayList<>();
                    for (ScoreDoc sd : searcher.search(query, 100).scoreDocs) {
                        ids.add(searcher.storedFields().document(sd.doc).get("id"));
                    }
                    ranking.put(q.getKey(), ids);
                }
                return data.score(ranking);
            }
        } finally {
            analyzer.close();
        }
    }
}
