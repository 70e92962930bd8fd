#!/usr/bin/env bash
# Issue 10 load test: chat storm + background searches and ingests against the appliance, whose Ollama is
# the stand-in configured like one GPU (BENCH_PARALLEL streams at once, BENCH_TOKEN_MS between tokens,
# BENCH_TTFT_MS before the first, BENCH_TOKENS per answer). Prints a Markdown table (LoadStorm).
#   bench/load.sh                      (env: BENCH_LEVELS=1,8,32,128  BENCH_SECONDS=30  BENCH_SEARCH_CLIENTS=2
#                                       BENCH_THINK_MS=1000  BENCH_MODEL=bge-small-en-v15-q  BENCH_PORT  BENCH_STANDIN_PORT
#                                       BENCH_ON_OVERLOAD=degrade|reject  BENCH_HEAP=512m  BENCH_ROUNDS=3:
#                                       idle and storm phases alternate this many times per level;
#                                       BENCH_DRIVER_NICE=10: CPU priority of the stand-in and the load driver, which
#                                       stand in for a GPU server and remote users but share the box's cores here)
# Exit status 1 when a level had a malformed answer, a 5xx, or a generation slot / stand-in stream left over.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-18191}
standin_port=${BENCH_STANDIN_PORT:-18192}
levels=${BENCH_LEVELS:-1,8,32,128}
seconds=${BENCH_SECONDS:-30}
searchers=${BENCH_SEARCH_CLIENTS:-2}
think=${BENCH_THINK_MS:-1000}
model=${BENCH_MODEL:-bge-small-en-v15-q}
parallel=${BENCH_PARALLEL:-4}
token_ms=${BENCH_TOKEN_MS:-25}          # 40 tokens/s per stream
ttft_ms=${BENCH_TTFT_MS:-150}
tokens=${BENCH_TOKENS:-64}
on_overload=${BENCH_ON_OVERLOAD:-degrade}
heap=${BENCH_HEAP:-512m}
rounds=${BENCH_ROUNDS:-3}
driver_nice=${BENCH_DRIVER_NICE:-10}

if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "$(find src/main -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  mvn -B -q -DskipTests -Dfaiss.avx2.skip=true package        # also compiles the bench classes
else
  mvn -B -q resources:testResources compiler:testCompile        # refresh the bench classes only
fi
[ -f target/bench.cp ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.cp)"

work=$(mktemp -d /tmp/edgerag-bench-load.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

nice -n "$driver_nice" java -cp "$cp" io.edgerag.bench.OllamaStandInMain "$standin_port" "$token_ms" "$tokens" "$parallel" "$ttft_ms" \
     > "$work/standin.log" 2>&1 &
pids+=($!)
# the sample corpus (ingested on first run) is what the chats and searches ask about
java -Xmx"$heap" -Dquarkus.http.port=$port -Dquarkus.http.host=127.0.0.1 -Dedgerag.data-dir="$work/data" -Dedgerag.security.rate-limit.enabled=false \
     -Dedgerag.embedding.model="$model" -Dedgerag.ollama.model=standin-model \
     -Dedgerag.ollama.base-url=http://127.0.0.1:$standin_port \
     -Dedgerag.admission.generation.max-concurrent="$parallel" \
     -Dedgerag.admission.generation.on-overload="$on_overload" \
     -jar target/quarkus-app/quarkus-run.jar > "$work/appliance.log" 2>&1 &
app_pid=$!
pids+=($app_pid)
for i in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && \
    grep -q "Sample corpus\|sample corpus" "$work/appliance.log" && break
  [ "$i" = 240 ] && { echo "appliance not ready after 240 s" >&2; tail -20 "$work/appliance.log" >&2; exit 1; }
  sleep 1
done
sleep 2
echo "### Chat storm: stand-in $parallel parallel streams, $tokens tokens $token_ms ms apart, first token after ${ttft_ms} ms;"
echo "### appliance $model, generation lane $parallel slots (+queue 8, wait 2 s), on-overload=$on_overload, -Xmx$heap;"
echo "### $seconds s of storm per level in $rounds rounds (idle, storm, idle, storm, ...), $searchers search clients (50 ms apart), 1 ingest client (200 ms apart), think time $think ms"
echo "### the stand-in and the load driver run at nice $driver_nice (they stand for other machines), the appliance at nice 0"
echo "### machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
nice -n "$driver_nice" java -cp "$cp" io.edgerag.bench.LoadStorm "http://127.0.0.1:$port/" "http://127.0.0.1:$standin_port/" "$app_pid" \
     "$levels" "$seconds" "$searchers" "$think" "$rounds" | tee "$work/out.txt" | grep -v '^LOAD_'
echo
curl -s "http://127.0.0.1:$port/q/metrics" | grep -E '^edgerag_admission_(refused|degraded|cancelled)_total' | sed 's/^/    /' || true
grep -q "LOAD_OK true" "$work/out.txt"
