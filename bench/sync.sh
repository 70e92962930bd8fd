#!/usr/bin/env bash
# Sync benchmark of issue 4, on loopback with one real Kafka broker (KRaft, its own JVM) and the packaged
# appliance as separate JVMs; prints Markdown and writes it to bench/results/sync-<timestamp>.md.
#   bench/sync.sh            full run: floor + lag at 100 and 1,000 events/s (10 s warm-up + 30 s each),
#                            end to end 600 writes at 100/s through A's HTTP API, apply rate of 50,000 events
#   bench/sync.sh --quick    the same, short: 3 s + 10 s per rate, 150 writes, 10,000 events (proves it works)
# Options (after or instead of --quick): --rates 100,1000  --warmup S  --seconds S  --apply-n N
#   --e2e-docs N  --e2e-rate R  --e2e-clients C  --no-e2e  --only lag,e2e,apply  --node-heap 2g  --jfr DIR (JFR profile of the
#   apply node, DIR/apply-node.jfr).  Program: src/test/java/io/edgerag/bench/SyncBench.java.
# The app jar is rebuilt (mvn package, FAISS generic) unless BENCH_SKIP_BUILD=1; the bench classes always are.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  mvn -B -q -DskipTests -Dfaiss.avx2.skip=true package        # also compiles the bench classes
else
  mvn -B -q resources:testResources compiler:testCompile        # refresh the bench classes only
fi
[ -f target/bench.cp ] && [ target/bench.cp -nt pom.xml ] \
  || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.cp)"
mkdir -p bench/results
suffix=; [ "${1:-}" = --quick ] && suffix=-quick
out=bench/results/sync-$(date +%Y%m%d-%H%M%S)$suffix.md
{
  echo "## Sync benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`bench/sync.sh $*\` (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', with local changes'))"
  echo
  java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" io.edgerag.bench.SyncBench "$@"
} | tee "$out"
echo "written to $out" >&2
