#!/usr/bin/env bash
# Appliance benchmarks of issue 3, on loopback only, printed as Markdown:
#   1. POST /api/search at BENCH_CHUNKS (100k) chunks, concurrency 1/4/16 (wrk), vs the bare embedding
#      model's per-query time measured in the same run (the floor);
#   2. time to first token through POST /api/chat vs directly against the Ollama stand-in;
#   3. ingest chunks/s through POST /api/documents vs raw Embedder.embedPassages on the same passages.
#   bench/appliance.sh            (env: BENCH_PORT, BENCH_STANDIN_PORT, BENCH_CHUNKS, BENCH_DURATION,
#                                  BENCH_INGEST_DOCS, BENCH_TTFT_N, SCIFACT_DIR, BENCH_ABSTRACT_VECTORS)
# BENCH_ABSTRACT_VECTORS: optional file of SciFact whole-abstract all-MiniLM-L6-v2 vectors (LE float32,
# 5183 x 384, corpus order) to prefill from instead of embedding the corpus here (minutes on 2 cores).
# The store is prefilled offline (PrefillStore: real all-MiniLM-L6-v2 SciFact chunk embeddings, then
# noisy copies, compacted to the auto index) once into target/bench-cache/ and copied per run.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-18181}
standin_port=${BENCH_STANDIN_PORT:-18182}
chunks=${BENCH_CHUNKS:-100000}
duration=${BENCH_DURATION:-20s}
ingest_docs=${BENCH_INGEST_DOCS:-150}
ttft_n=${BENCH_TTFT_N:-100}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  mvn -B -q -DskipTests -Dfaiss.avx2.skip=true package        # also compiles the bench classes
else
  mvn -B -q resources:testResources compiler:testCompile        # refresh the bench classes only
fi
[ -f target/bench.cp ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.cp)"
# every measurement embeds with all-MiniLM-L6-v2: the prefilled vectors are its embeddings
model=all-minilm-l6-v2
bench() { java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dedgerag.embedding.model=$model -cp "$cp" "$@"; }

pristine=target/bench-cache/prefill-$chunks
if [ ! -f "$pristine/.done" ]; then
  rm -rf "$pristine"
  bench io.edgerag.bench.PrefillStore "$pristine/store" "$chunks" 0.01 target/bench-cache
  touch "$pristine/.done"
fi
work=$(mktemp -d /tmp/edgerag-bench-app.XXXXXX)
cp -r "$pristine/store" "$work/store"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

bench io.edgerag.bench.OllamaStandInMain "$standin_port" 5 8 > "$work/standin.log" 2>&1 &
pids+=($!)
# the prefilled vectors are all-MiniLM-L6-v2 embeddings: the appliance must embed queries with it too
java -Dedgerag.embedding.model=$model -Dquarkus.http.port=$port -Dquarkus.http.host=127.0.0.1 -Dedgerag.data-dir="$work" -Dedgerag.security.rate-limit.enabled=false \
     -Dedgerag.ingest.sample-corpus-on-first-run=false -Dedgerag.ollama.model=standin-model \
     -Dedgerag.ollama.base-url=http://127.0.0.1:$standin_port \
     -jar target/quarkus-app/quarkus-run.jar > "$work/appliance.log" 2>&1 &
pids+=($!)
for i in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
  [ "$i" = 180 ] && { echo "appliance not ready after 180 s" >&2; tail -20 "$work/appliance.log" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$standin_port/api/tags" >/dev/null || { echo "stand-in not up" >&2; exit 1; }
grep -m1 "Local store open" "$work/appliance.log" || true

echo
echo "### /api/search at $chunks chunks (k=10, wrk, $duration per level, SciFact test queries)"
floor() { bench io.edgerag.bench.SearchFloor "$@" | awk '/^FLOOR/ {print $2, $3, $4}'; }
floors=("$(floor "$work/bodies.jsonl" 10 1)")                  # also writes the request bodies
export BENCH_BODIES="$work/bodies.jsonl"
wrk -t2 -c4 -d5s --timeout 10s -s bench/search.lua "http://127.0.0.1:$port" > /dev/null   # warm-up
rows=()
for c in 1 4 16; do
  t=$(( c < 2 ? c : 2 ))
  rows+=("$c $(wrk -t$t -c$c -d"$duration" --timeout 10s -s bench/search.lua "http://127.0.0.1:$port" | awk '/^RESULT/ {print $2, $4, $5, $6, $7}')")
  floors+=("$(floor "" 10 1)")                                 # the floor again right after each level
done
echo
echo "| concurrency | requests | QPS | p50 ms | p99 ms | errors | floor p50 ms (before/after) | p50 / floor p50 |"
echo "|---|---|---|---|---|---|---|---|"
for i in 0 1 2; do
  read -r c n qps p50 p99 err <<< "${rows[$i]}"
  read -r f0 _ _ <<< "${floors[$i]}"
  read -r f1 _ _ <<< "${floors[$((i + 1))]}"
  awk -v c="$c" -v n="$n" -v q="$qps" -v a="$p50" -v b="$p99" -v e="$err" -v f0="$f0" -v f1="$f1" \
    'BEGIN {printf "| %s | %s | %.1f | %.2f | %.2f | %s | %.1f / %.1f | %.2f× |\n", c, n, q, a, b, e, f0, f1, a / ((f0 + f1) / 2)}'
done
echo
echo "| floor: bare \`Embedder.embedQuery\`, 1 thread, 300 SciFact test queries | p50 ms | p99 ms | mean ms | 1-thread QPS ceiling |"
echo "|---|---|---|---|---|"
labels=("before c=1" "after c=1" "after c=4" "after c=16")
for i in 0 1 2 3; do
  read -r a b m <<< "${floors[$i]}"
  awk -v l="${labels[$i]}" -v a="$a" -v b="$b" -v m="$m" 'BEGIN {printf "| %s | %.2f | %.2f | %.2f | %.1f |\n", l, a, b, m, 1000 / m}'
done

echo
echo "### Time to first token (stand-in: 8 tokens, 5 ms apart)"
echo
bench io.edgerag.bench.TimeToFirstToken "http://127.0.0.1:$port/" "http://127.0.0.1:$standin_port/" "$ttft_n" 10 | grep -v '^TTFT_'

echo
echo "### Ingest: POST /api/documents vs raw embedding ($ingest_docs SciFact documents into the $chunks-chunk store)"
echo
bench io.edgerag.bench.IngestThroughput "http://127.0.0.1:$port/" "$ingest_docs" 30 1,4
echo
grep -m1 "Local store open" "$work/appliance.log" | sed 's/.*Local store open/appliance log: Local store open/' || true
