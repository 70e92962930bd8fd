#!/usr/bin/env bash
# SciFact (BEIR) retrieval quality through the real pipeline, for each shipped embedding model.
#   bench/scifact.sh [model ...]      (default: all-minilm-l6-v2 bge-small-en-v15-q)
# Starts the packaged appliance on a scratch data dir per model, ingests the 5,183 abstracts over
# HTTP, runs the 300 test queries in each retrieval mode (BENCH_MODES, default vector, keyword, hybrid
# and hybrid with weighted fusion) and prints nDCG@10 / Recall@100 / latency as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
models=("$@"); [ ${#models[@]} -gt 0 ] || models=(all-minilm-l6-v2 bge-small-en-v15-q)
port=${BENCH_PORT:-18080}
# package also compiles the test sources, where the driver lives; BENCH_SKIP_BUILD=1 reuses a build
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.cp)"
for model in "${models[@]}"; do
  # BENCH_DATA=<dir>: keep the store there (one subdirectory per model) and reuse it on the next run
  if [ -n "${BENCH_DATA:-}" ]; then data="$BENCH_DATA/$model"; mkdir -p "$data"; else data=$(mktemp -d); fi
  java -Dquarkus.http.port=$port -Dedgerag.data-dir="$data" -Dedgerag.embedding.model="$model" -Dedgerag.security.rate-limit.enabled=false \
       -Dedgerag.ingest.sample-corpus-on-first-run=false -Dedgerag.retrieval.max-k=100 \
       -jar target/quarkus-app/quarkus-run.jar > "$data/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 1; done
  java -cp "$cp" io.edgerag.bench.SciFactBench "http://127.0.0.1:$port/" "$model" "${BENCH_MODES:-vector,keyword,hybrid,hybrid+weighted}"
  kill $pid; wait $pid 2>/dev/null || true
  [ -n "${BENCH_DATA:-}" ] || rm -rf "$data"
done
