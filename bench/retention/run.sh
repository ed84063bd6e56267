#!/usr/bin/env bash
# Retention mark benchmark, run by hand (not part of the test suite). For each history size
# (default 5000/10000/20000 commits with 5 pointer changes per commit, i.e. 25k/50k/100k pointer
# references, every object claimed by the repository) it prints:
#   - baseline: the pointer-index rescan of the same repository (RescanRepository job), which a
#     mark needs anyway, and its wall time;
#   - the retention mark (dry run, policy keep-last-3, so the history walk and ~95 % of the
#     objects end up in the report): first mark (fills the reachability table) and a second one;
#   - the server's peak RSS (VmHWM) during the mark, next to its RSS after startup;
#   - ratios mark/rescan and how each grows with history size.
# Usage: bench/retention/run.sh [COMMITS...]     (env: PORT, WORK_DIR, POINTERS_PER_COMMIT, PATHS)
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZES=("$@"); [ ${#SIZES[@]} -eq 0 ] && SIZES=(5000 10000 20000)
PORT=${PORT:-18090}
PER=${POINTERS_PER_COMMIT:-5}
PATHS=${PATHS:-2000}
WORK=${WORK_DIR:-$(mktemp -d /tmp/retention-bench-XXXXXX)}
ADMIN=bench-admin-token-0123456789abcdef
BASE="http://127.0.0.1:$PORT"
DLL=src/StorageServer/bin/Release/net10.0/StorageServer.dll
server_pid=""

cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '==> %s\n' "$*" >&2; }
api() { curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
now() { date +%s.%N; }
rss_kb() { awk '/^'"$2"':/ {print $2}' "/proc/$1/status"; }

start_server() { # data-dir [clock offset seconds]
  echo "${2:-0}" > "$WORK/clock-offset"
  STORAGESERVER_TEST_CLOCK_OFFSET_FILE="$WORK/clock-offset" STORAGESERVER_ADMIN_TOKEN=$ADMIN dotnet "$DLL" --urls "$BASE" --data-dir "$1" >"$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && return; sleep 0.5; done
  echo "server did not start; log: $1.log" >&2; exit 1
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
wait_job() {
  while :; do
    local state; state=$(api "$BASE/api/jobs/runs/$1" | json 'd["state"]')
    case $state in succeeded) return ;; failed|cancelled|timed_out) api "$BASE/api/jobs/runs/$1" >&2; exit 1 ;; esac
    sleep 0.2
  done
}
run_job() { # name json → seconds
  local t0 id; t0=$(now)
  id=$(api -X POST "$BASE/api/jobs/$1/run" -d "$2" | json 'd["id"]')
  wait_job "$id"; python3 -c "print(f'{$(now)-$t0:.2f}')"
}
mark() { # → seconds
  local t0 id; t0=$(now)
  id=$(api -X POST "$BASE/api/retention/runs" -d '{"kind":"mark","dryRun":true}' | json 'd["jobRunId"]')
  wait_job "$id"; python3 -c "print(f'{$(now)-$t0:.2f}')"
}

log "Release build"
dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null

printf '\n%-8s %-9s %-10s %-10s %-10s %-9s %-11s %-11s %-9s\n' commits pointers rescan_s mark1_s mark2_s ratio rss_idle_MB rss_peak_MB candidates
results=()
for COMMITS in "${SIZES[@]}"; do
  DATA="$WORK/data-$COMMITS"; mkdir -p "$DATA"
  start_server "$DATA"
  api -X POST "$BASE/api/repos" -d '{"name":"bench/history"}' >/dev/null
  api -X POST "$BASE/api/retention/policies" -d '{"name":"keep last 3","keepLastVersions":3}' >/dev/null
  # One real upload gives a claim row whose timestamps the generated claims copy (stored form).
  token=$(api -X POST "$BASE/api/tokens" -d '{"user":"bench","scopes":{"bench/history":"write"}}' | json 'd["token"]')
  printf 'seed' > "$WORK/seed.bin"; seed_oid=$(sha256sum "$WORK/seed.bin" | cut -d' ' -f1)
  curl -fsS -u "bench:$token" -X PUT --data-binary @"$WORK/seed.bin" -H 'Content-Type: application/octet-stream' \
    "$BASE/bench/history.git/info/lfs/objects/$seed_oid" >/dev/null
  stop_server

  log "generating $COMMITS commits, $((COMMITS * PER)) pointer references"
  BARE="$DATA/repos/bench/history.git"
  python3 bench/retention/generate.py "$COMMITS" "$((COMMITS * PER))" "$PATHS" "$WORK/oids-$COMMITS.txt" | git --git-dir "$BARE" fast-import --quiet
  python3 - "$DATA/storageserver.db" "$WORK/oids-$COMMITS.txt" "$seed_oid" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); seed = sys.argv[3]
created, = db.execute("select CreatedAt from objects where Oid=?", (seed,)).fetchone()
rid, by, at = db.execute("select RepositoryId, UploadedBy, UploadedAt from repo_objects where Oid=?", (seed,)).fetchone()
rows = [l.split() for l in open(sys.argv[2])]
db.executemany("insert into objects (Oid, Size, State, CreatedAt, StateChangedAt) values (?, ?, 0, ?, ?)", [(o, int(s), created, created) for o, s in rows])
db.executemany("insert into repo_objects (RepositoryId, Oid, UploadedBy, UploadedAt) values (?, ?, ?, ?)", [(rid, o, by, at) for o, s in rows])
db.commit()
PY
  start_server "$DATA"
  rescan=$(run_job RescanRepository '{"repository":"bench/history"}')
  stop_server
  # The mark runs two days later (the server's test clock): past the 24 h upload grace. A fresh
  # process, so VmHWM is the mark's.
  start_server "$DATA" 172800
  idle=$(( $(rss_kb "$server_pid" VmRSS) / 1024 ))
  mark1=$(mark); mark2=$(mark)
  peak=$(( $(rss_kb "$server_pid" VmHWM) / 1024 ))
  candidates=$(api "$BASE/api/retention/runs?limit=1" | json 'd[0]["candidates"]')
  stop_server
  ratio=$(python3 -c "print(f'{$mark2/$rescan:.2f}')")
  printf '%-8s %-9s %-10s %-10s %-10s %-9s %-11s %-11s %-9s\n' "$COMMITS" "$((COMMITS * PER))" "$rescan" "$mark1" "$mark2" "$ratio" "$idle" "$peak" "$candidates"
  results+=("$COMMITS $mark2 $rescan")
  rm -rf "$DATA"
done
first=(${results[0]}); last=(${results[-1]})
python3 -c "print('\ngrowth ${first[0]} -> ${last[0]} commits (x%.1f): mark x%.2f, rescan x%.2f' % (${last[0]}/${first[0]}, ${last[1]}/${first[1]}, ${last[2]}/${first[2]}))"
