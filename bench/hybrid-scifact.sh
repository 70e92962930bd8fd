#!/usr/bin/env bash
# Issue 5's partitioned-corpus test: half of SciFact on the edge, all of it in the cloud (the Pinecone
# STAND-IN, in-process on 127.0.0.1 — Pinecone cannot run here), through the packaged appliance over HTTP.
#   bench/hybrid-scifact.sh [--quick] [model]     (default model: bge-small-en-v15-q, the appliance default)
# --quick: the first 50 test queries instead of 300. Prints nDCG@10 / Recall@100 for local-half, hybrid and
# all-local, the τ sweep (fallback rate vs nDCG@10) and a chosen τ; writes report.md and per-query TSVs to
# target/bench-cache/hybrid/<model>-<time>/. Embedding SciFact is cached in target/bench-cache/ (the first
# run with bge takes ~20-30 min on 2 loaded cores). BENCH_SKIP_BUILD=1 reuses the packaged jar.
set -euo pipefail
cd "$(dirname "$0")/.."
model=bge-small-en-v15-q
queries=0
for arg in "$@"; do
  case "$arg" in
    --quick) queries=50 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) model=$arg ;;
  esac
done
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests -Dfaiss.avx2.skip=true package
[ -s target/bench.cp ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.cp)"
# the driver starts and stops each appliance itself (and kills it on exit); nothing is left running
exec java -cp "$cp" -Dedgerag.embedding.model="$model" -Dbench.queries="$queries" \
     -Dbench.port="${BENCH_PORT:-18093}" io.edgerag.bench.HybridSciFact
