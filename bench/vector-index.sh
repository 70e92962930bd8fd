#!/usr/bin/env bash
# Vector-index benchmark (issue 2 "Benchmark"): FAISS flat / HNSW32 / IVF-PQ through the project's binding
# against LangChain4j InMemoryEmbeddingStore and Lucene 9.12 HNSW, on SciFact embeddings + noise.
#   bench/vector-index.sh [sizes] [seconds-per-QPS-measurement]
#   bench/vector-index.sh 100000            # the table in bench/README.md
#   bench/vector-index.sh 100000,1000000    # adds 1M (needs ~12 GB heap and far longer)
# One JVM with the default FAISS variant (AVX2 where the CPU has it) runs every engine; a second JVM
# forced to the generic variant runs the FAISS engines on the same (deterministic) data.
# BENCH_SKIP_BUILD=1 reuses target/ from a previous build (the mvn step re-runs the javacpp compile).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-100000}
seconds=${2:-3}
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/bench.cp ]; then
  mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
fi
cp="target/test-classes:target/classes:$(cat target/bench.cp)"
max=$(tr ',' '\n' <<<"$sizes" | sort -n | tail -1)
heap=4g; [ "$max" -gt 200000 ] && heap=14g
mkdir -p target/bench-cache
out=target/bench-cache/vector-index-$(date +%Y%m%d-%H%M%S).md
# run <jvm property> [benchmark args...]
run() { local prop=$1; shift
        java -Xmx$heap "$prop" -cp "$cp" io.edgerag.bench.VectorIndexBench --sizes "$sizes" --seconds "$seconds" --jni "$@"; }
{
  echo "Command: bench/vector-index.sh $sizes $seconds  (CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores)"
  echo
  run -Dedgerag.faiss.generic=false
  if grep -qw avx2 /proc/cpuinfo && ls target/classes/io/edgerag/store/local/faiss/*-avx2 >/dev/null 2>&1; then
    echo; echo "---"; echo
    run -Dedgerag.faiss.generic=true --engines flat,hnsw,ivfpq
  fi
} | tee "$out"
echo "written to $out" >&2
