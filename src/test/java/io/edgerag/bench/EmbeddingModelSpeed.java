package io.edgerag.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The speed half of choosing the default embedding model (the quality half is bench/scifact.sh):
 * both shipped models, same process, same texts, interleaved rounds so load drifts hit both alike.
 * {@code bench/embedding-models.sh} runs it.
 */
public final class EmbeddingModelSpeed {

    public static void main(String[] args) throws Exception {
        SciFact data = SciFact.load(SciFact.locate());
        List<TextSegment> passages = new ArrayList<>();
        for (SciFact.Doc d : data.corpus().subList(0, 128)) {
            passages.add(TextSegment.from(d.title() + "\n" + d.text()));
        }
        List<String> queries = new ArrayList<>(data.testQueries().values()).subList(0, 100);
        Map<String, EmbeddingModel> models = Map.of(
                "all-minilm-l6-v2", new AllMiniLmL6V2EmbeddingModel(),
                "bge-small-en-v15-q", new BgeSmallEnV15QuantizedEmbeddingModel());
        models.values().forEach(m -> m.embed("warm up"));
        Map<String, double[]> totals = new java.util.TreeMap<>();
        for (int round = 0; round < 3; round++) {
            for (Map.Entry<String, EmbeddingModel> e : models.entrySet()) {
                long t0 = System.nanoTime();
                e.getValue().embedAll(passages);
                long t1 = System.nanoTime();
                for (String q : queries) {
                    e.getValue().embed(q);
                }
                long t2 = System.nanoTime();
                double[] acc = totals.computeIfAbsent(e.getKey(), k -> new double[2]);
                acc[0] += (t1 - t0) / 1e9;
                acc[1] += (t2 - t1) / 1e6;
            }
        }
        System.out.println("| model | passages/s | ms per query | relative passage throughput |");
        System.out.println("|---|---|---|---|");
        double base = 3 * passages.size() / totals.get("all-minilm-l6-v2")[0];
        for (Map.Entry<String, double[]> e : totals.entrySet()) {
            double pps = 3 * passages.size() / e.getValue()[0];
            System.out.printf("| %s | %.1f | %.1f | %.2f× |%n", e.getKey(), pps, e.getValue()[1] / (3 * queries.size()), pps / base);
        }
    }
}
