#!/usr/bin/env bash
# Retention soak, run by hand (not part of the test suite): the model-based test of issue #10
# (tests/StorageServer.EndToEnd.Tests/Retention/ModelBased) over many seeds, one real server
# process per seed, the real git and git-lfs. Prints the seed list, one line per seed (ok/FAILED,
# seconds, what it checked) and the counts; the failures' full reports (seed, scenario, what
# happened, each disagreement) are in the dotnet test output it names, and every seed's scenario
# and transcript in $WORK/transcripts.
# Usage: bench/retention/soak.sh [FIRST_SEED [COUNT]]     (default 1000 50)
#   env SHRINK_ITERATIONS=N: for a failing seed, let CsCheck try N scenarios looking for a smaller
#   failing one (each costs a full scenario run).
set -euo pipefail
cd "$(dirname "$0")/../.."

FIRST=${1:-1000}
COUNT=${2:-50}
LAST=$((FIRST + COUNT - 1))
WORK=$(mktemp -d /tmp/retention-soak-XXXXXX)
LOG="$WORK/seeds.log"
OUT="$WORK/dotnet-test.log"
: >"$LOG"

echo "building tests/StorageServer.EndToEnd.Tests (Release)"
dotnet build tests/StorageServer.EndToEnd.Tests -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "seeds $FIRST..$LAST ($COUNT seeds), one server each; log $LOG"
start=$(date +%s)
RETENTION_ORACLE_SEEDS="$FIRST..$LAST" RETENTION_ORACLE_LOG="$LOG" RETENTION_ORACLE_TRANSCRIPTS="$WORK/transcripts" RETENTION_ORACLE_SHRINK_ITERATIONS="${SHRINK_ITERATIONS:-1}" \
  dotnet test tests/StorageServer.EndToEnd.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Retention.ModelBased.RetentionModelTests" >"$OUT" 2>&1 || true
elapsed=$(( $(date +%s) - start ))

sort -t' ' -k2,2n "$LOG"
passed=$(grep -c ': ok;' "$LOG" || true)
failed=$(grep -c ': FAILED;' "$LOG" || true)
missing=$((COUNT - passed - failed))
avg=$(awk -F'; ' '{ split($2, a, " "); s += a[1]; n++ } END { if (n) printf "%.1f", s / n; else print "-" }' "$LOG")
echo
echo "seeds $FIRST..$LAST: $COUNT run, $passed passed, $failed failed, $missing without a result (crashed: see $OUT)"
echo "wall ${elapsed} s, mean ${avg} s per seed"
if [ "$failed" -gt 0 ] || [ "$missing" -gt 0 ]; then
  echo "failed seeds: $(grep ': FAILED;' "$LOG" | awk '{print $2}' | sort -n | tr '\n' ' ')"
  echo "full reports (scenario, transcript, disagreements): $OUT"
  exit 1
fi
