#!/usr/bin/env bash
# Embedding speed of the shipped models, same process and texts (128 SciFact abstracts, 100 queries).
#   bench/embedding-models.sh      (BENCH_SKIP_BUILD=1 reuses target/)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench.cp)" io.edgerag.bench.EmbeddingModelSpeed
