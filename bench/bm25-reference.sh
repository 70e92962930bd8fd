#!/usr/bin/env bash
# Is the keyword side right? Reproduces BEIR's published SciFact BM25 (nDCG@10 0.665) with Lucene 9.12 and
# the English analyzer in BEIR's own setup (whole documents, title/text fields, dis-max tie 0.5, k1 1.2,
# b 0.75), beside the single-field variant edgerag indexes. In-process, no appliance, ~1 min.
#   bench/bm25-reference.sh          BENCH_SKIP_BUILD=1 reuses compiled test classes
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests -Dfaiss.avx2.skip=true test-compile
[ -s target/bench.cp ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.cp)" io.edgerag.bench.Bm25Reference
