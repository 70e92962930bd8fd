package io.edgerag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The BEIR SciFact data set as it lies in {@code shared/data/scifact}: corpus, test queries, qrels.
 * Evaluation only (CC BY-NC): it is read from outside the project and never shipped.
 */
public record SciFact(List<Doc> corpus, Map<String, String> testQueries, Map<String, Set<String>> qrels) {

    public record Doc(String id, String title, String text) {
    }

    /** Looks for the data beside the project ({@code ../shared/data/scifact}) or at {@code $SCIFACT_DIR}. */
    public static Path locate() {
        String env = System.getenv("SCIFACT_DIR");
        if (env != null) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/scifact");
            if (Files.isRegularFile(candidate.resolve("corpus.jsonl"))) {
                return candidate;
            }
        }
        return null;
    }

    public static SciFact load(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Doc> corpus = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("corpus.jsonl"))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                corpus.add(new Doc(n.get("_id").asText(), n.get("title").asText(), n.get("text").asText()));
            }
        }
        Map<String, Set<String>> qrels = new LinkedHashMap<>();
        List<String> rows = Files.readAllLines(dir.resolve("qrels/test.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            if (f.length == 3 && Integer.parseInt(f[2].trim()) > 0) {
                qrels.computeIfAbsent(f[0], q -> new HashSet<>()).add(f[1]);
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("queries.jsonl"))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                if (qrels.containsKey(n.get("_id").asText())) {
                    queries.put(n.get("_id").asText(), n.get("text").asText());
                }
            }
        }
        return new SciFact(corpus, queries, qrels);
    }

    /** nDCG@k with binary relevance, as BEIR's pytrec_eval computes it. */
    public static double ndcgAt(int k, List<String> ranked, Set<String> relevant) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) {
                dcg += 1.0 / (Math.log(i + 2) / Math.log(2));
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            ideal += 1.0 / (Math.log(i + 2) / Math.log(2));
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    public static double recallAt(int k, List<String> ranked, Set<String> relevant) {
        Set<String> top = new HashSet<>(ranked.subList(0, Math.min(k, ranked.size())));
        long found = relevant.stream().filter(top::contains).count();
        return relevant.isEmpty() ? 0 : (double) found / relevant.size();
    }

    /** Mean nDCG@10 and Recall@100 over the test queries of a run (query id → ranked doc ids). */
    public Scores score(Map<String, List<String>> run) {
        double ndcg = 0;
        double recall = 0;
        for (Map.Entry<String, Set<String>> q : qrels.entrySet()) {
            List<String> ranked = run.getOrDefault(q.getKey(), List.of());
            ndcg += ndcgAt(10, ranked, q.getValue());
            recall += recallAt(100, ranked, q.getValue());
        }
        return new Scores(ndcg / qrels.size(), recall / qrels.size(), qrels.size());
    }

    public record Scores(double ndcgAt10, double recallAt100, int queries) {
    }

}
