package io.edgerag.store.local.lucene;

import io.edgerag.store.local.InvalidStoreRequestException;
import io.edgerag.store.local.KeywordIndex;
import io.edgerag.store.local.SearchFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.jboss.logging.Logger;

/**
 * {@link KeywordIndex} on Apache Lucene: BM25 over title + chunk text with the standard English analyzer
 * (standard tokenizer, possessives, lower case, English stop words, Porter stemmer). Filters are indexed
 * fields, so they are query clauses and act before the top-k cut: {@code collection}, {@code source},
 * {@code m.<key>} per metadata entry and, for values that read as ISO-8601 dates, a numeric point
 * {@code d.<key>} (see {@link SearchFilter#epochMillis}).
 *
 * <p>Near-real-time: searches reopen the reader when something changed since the last one, so a write
 * is visible to the next search without a Lucene commit. Commits happen only through {@link #commit}
 * (never on close), so the commit's user data always describes exactly what the commit holds.
 */
public final class LuceneKeywordIndex implements KeywordIndex {

    private static final Logger LOG = Logger.getLogger(LuceneKeywordIndex.class);
    static final String POSITION = "pos";
    static final String TEXT = "text";
    static final String COLLECTION = "collection";
    static final String SOURCE = "source";
    static final String GENERATION = "edgerag.generation";
    static final String NEXT_POSITION = "edgerag.next_position";

    private final Directory directory;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final QueryBuilder queries;
    private final Object refreshLock = new Object();
    private volatile boolean changed;

    private LuceneKeywordIndex(Directory directory, Analyzer analyzer, IndexWriter writer) throws IOException {
        this.directory = directory;
        this.analyzer = analyzer;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.queries = new QueryBuilder(analyzer);
    }

    /** Opens the index in {@code path}; an unreadable one is wiped and started afresh (the store rebuilds it). */
    public static LuceneKeywordIndex open(Path path) {
        try {
            Files.createDirectories(path);
            try {
                return openIn(path);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warnf("keyword index in %s unreadable (%s); starting it afresh, it is rebuilt from SQLite", path, e.toString());
                wipe(path);
                return openIn(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open keyword index in " + path, e);
        }
    }

    private static LuceneKeywordIndex openIn(Path path) throws IOException {
        Directory dir = FSDirectory.open(path);
        Analyzer analyzer = new EnglishAnalyzer();
        try {
            IndexWriterConfig cfg = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setSimilarity(new BM25Similarity())
                    .setCommitOnClose(false);
            return new LuceneKeywordIndex(dir, analyzer, new IndexWriter(dir, cfg));
        } catch (IOException | RuntimeException e) {
            analyzer.close();
            dir.close();
            throw e;
        }
    }

    private static void wipe(Path path) throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        if (!data.containsKey(GENERATION) || !data.containsKey(NEXT_POSITION)) {
            return Optional.empty();
        }
        return Optional.of(new Checkpoint(Long.parseLong(data.get(GENERATION)), Long.parseLong(data.get(NEXT_POSITION))));
    }

    @Override
    public void add(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Document> docs = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            docs.add(toDocument(e));
        }
        try {
            writer.addDocuments(docs);
        } catch (IOException e) {
            throw new UncheckedIOException("keyword index write failed", e);
        }
        changed = true;
    }

    private static Document toDocument(Entry e) {
        Document d = new Document();
        d.add(new LongPoint(POSITION, e.position()));
        d.add(new NumericDocValuesField(POSITION, e.position()));
        d.add(new TextField(TEXT, e.text(), Field.Store.NO));
        if (e.info().doc().collection() != null) {
            d.add(new StringField(COLLECTION, e.info().doc().collection(), Field.Store.NO));
        }
        if (e.info().doc().source() != null) {
            d.add(new StringField(SOURCE, e.info().doc().source(), Field.Store.NO));
        }
        for (Map.Entry<String, Object> m : e.info().metadata().entrySet()) {
            if (m.getValue() == null) {
                continue;
            }
            String value = m.getValue().toString();
            d.add(new StringField(metadataField(m.getKey()), value, Field.Store.NO));
            OptionalLong millis = SearchFilter.epochMillis(value);
            if (millis.isPresent()) {
                d.add(new LongPoint(dateField(m.getKey()), millis.getAsLong()));
            }
        }
        return d;
    }

    @Override
    public void delete(long[] positions) {
        if (positions.length == 0) {
            return;
        }
        try {
            writer.deleteDocuments(LongPoint.newSetQuery(POSITION, positions));
        } catch (IOException e) {
            throw new UncheckedIOException("keyword index delete failed", e);
        }
        changed = true;
    }

    @Override
    public void deleteFrom(long position) {
        try {
            writer.deleteDocuments(LongPoint.newRangeQuery(POSITION, position, Long.MAX_VALUE));
        } catch (IOException e) {
            throw new UncheckedIOException("keyword index delete failed", e);
        }
        changed = true;
    }

    @Override
    public void clear() {
        try {
            writer.deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException("keyword index clear failed", e);
        }
        changed = true;
    }

    @Override
    public List<Hit> search(String text, int k, SearchFilter filter) {
        Query terms = queries.createBooleanQuery(TEXT, text == null ? "" : text, BooleanClause.Occur.SHOULD);
        if (terms == null) {
            return List.of(); // nothing left after analysis (empty, punctuation, only stop words)
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(terms, BooleanClause.Occur.MUST);
        addFilters(query, filter);
        try {
            refreshIfChanged();
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(query.build(), k);
                return positionsOf(searcher, top);
            } finally {
                searchers.release(searcher);
            }
        } catch (IndexSearcher.TooManyClauses e) {
            throw new InvalidStoreRequestException("the query has more than " + IndexSearcher.getMaxClauseCount()
                    + " terms: shorten it for keyword search");
        } catch (IOException e) {
            throw new UncheckedIOException("keyword search failed", e);
        }
    }

    /**
     * A caller's scope. Documents stored without a collection carry no collection term, so the default
     * collection is "has no collection term" (every term of the field starts with the empty prefix).
     */
    private static Query inCollections(Set<String> collections) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        any.add(new TermInSetQuery(COLLECTION, collections.stream().map(BytesRef::new).toList()),
                BooleanClause.Occur.SHOULD);
        if (collections.contains(SearchFilter.DEFAULT_COLLECTION)) {
            any.add(new BooleanQuery.Builder()
                    .add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST)
                    .add(new PrefixQuery(new Term(COLLECTION, "")), BooleanClause.Occur.MUST_NOT)
                    .build(), BooleanClause.Occur.SHOULD);
        }
        return any.build();
    }

    private static void addFilters(BooleanQuery.Builder query, SearchFilter filter) {
        if (filter.collection() != null) {
            query.add(new TermQuery(new Term(COLLECTION, filter.collection())), BooleanClause.Occur.FILTER);
        }
        if (filter.collectionsIn() != null) {
            query.add(inCollections(filter.collectionsIn()), BooleanClause.Occur.FILTER);
        }
        if (filter.source() != null) {
            query.add(new TermQuery(new Term(SOURCE, filter.source())), BooleanClause.Occur.FILTER);
        }
        filter.metadataEquals().forEach((key, value) ->
                query.add(new TermQuery(new Term(metadataField(key), value)), BooleanClause.Occur.FILTER));
        SearchFilter.DateRange range = filter.dateRange();
        if (range != null) {
            query.add(LongPoint.newRangeQuery(dateField(range.key()), range.fromMillis(), range.toMillis()),
                    BooleanClause.Occur.FILTER);
        }
    }

    /** Reopens the near-real-time reader once per batch of changes, not once per search. */
    private void refreshIfChanged() throws IOException {
        if (changed) {
            synchronized (refreshLock) {
                if (changed) {
                    changed = false;
                    searchers.maybeRefreshBlocking();
                }
            }
        }
    }

    private static List<Hit> positionsOf(IndexSearcher searcher, TopDocs top) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            NumericDocValues pos = leaf.reader().getNumericDocValues(POSITION);
            if (pos != null && pos.advanceExact(sd.doc - leaf.docBase)) {
                hits.add(new Hit(pos.longValue(), sd.score));
            }
        }
        return hits;
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        try {
            writer.setLiveCommitData(Map.of(
                    GENERATION, Long.toString(checkpoint.generation()),
                    NEXT_POSITION, Long.toString(checkpoint.nextPosition())).entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("keyword index commit failed", e);
        }
    }

    @Override
    public long liveCount() {
        try {
            refreshIfChanged();
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.rollback(); // uncommitted changes are replayed from SQLite at the next open
        } catch (IOException e) {
            LOG.warn("closing the keyword index failed", e);
        } finally {
            analyzer.close();
            try {
                directory.close();
            } catch (IOException e) {
                LOG.debug("closing the keyword index directory failed", e);
            }
        }
    }

    static String metadataField(String key) {
        return "m." + key;
    }

    static String dateField(String key) {
        return "d." + key;
    }
}
