#!/usr/bin/env bash
# Longer fuzzing than CI's (issue 8): the Jazzer target HostileInputFuzzTest (document ids and upload names,
# passage quoting, change events; coverage-guided) in rounds of its maxDuration, each round starting from the
# corpus the last one grew in .cifuzz-corpus/, then the API fuzz campaign ApiFuzzCampaignTest against the
# real appliance for the other half of the time. A finding fails the run: Jazzer keeps the crashing input in
# src/test/resources/io/edgerag/security/HostileInputFuzzTestInputs/ (it replays in every build from then
# on), the campaign prints its seed (rerun with -Dfuzz.seed=<seed>).
#   bench/fuzz.sh [SECONDS]      total time, default 600 (half Jazzer, half the HTTP campaign)
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-600}
half=$(( total / 2 ))
mvn -B -q -o test-compile -Dfaiss.avx2.skip=true
start=$(date +%s)
round=0
while [ $(( $(date +%s) - start )) -lt "$half" ]; do
  round=$((round + 1))
  echo "== Jazzer round $round ($(( $(date +%s) - start )) of $half s)"
  mvn -B -q -o surefire:test@fuzz-tests -Dfaiss.avx2.skip=true -Dtest=HostileInputFuzzTest
done
echo "== Jazzer corpus: $(find .cifuzz-corpus -type f | wc -l) inputs"
echo "== API fuzz campaign, $half s (its summary line: seed, requests, documents written, findings)"
mvn -B -q -o surefire:test@default-test -Dfaiss.avx2.skip=true -Dtest=ApiFuzzCampaignTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seconds="$half"
