# Shared by the retention benchmarks: a real server process on a data dir of its own, and a
# generated repository with a long history whose objects the repository claims.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../shipped-env.sh"
PORT=${PORT:-18090}
PER=${POINTERS_PER_COMMIT:-5}
PATHS=${PATHS:-2000}
WORK=${WORK_DIR:-$(mktemp -d /tmp/retention-bench-XXXXXX)}
ADMIN=bench-admin-token-0123456789abcdef
BASE="http://127.0.0.1:$PORT"
# STORAGESERVER_DLL runs another build (an older commit's, for before/after figures) on the same scenario.
DLL=${STORAGESERVER_DLL:-src/StorageServer/bin/Release/net10.0/StorageServer.dll}
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
  STORAGESERVER_TEST_CLOCK_OFFSET_FILE="$WORK/clock-offset" STORAGESERVER_ADMIN_TOKEN=$ADMIN env $SHIPPED_ENV dotnet "$DLL" --urls "$BASE" --data-dir "$1" >"$1.log" 2>&1 &
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
retention_run() { # kind [dryRun] → seconds; the run's totals are then in $WORK/last-run.json
  local t0 id; t0=$(now)
  id=$(api -X POST "$BASE/api/retention/runs" -d "{\"kind\":\"$1\",\"dryRun\":${2:-false}}" | json 'd["jobRunId"]')
  wait_job "$id"; python3 -c "print(f'{$(now)-$t0:.2f}')"
  api "$BASE/api/retention/runs?jobRunId=$id" > "$WORK/last-run.json"
}
mark() { retention_run mark true; } # → seconds (dry-run mark)
last_run() { json "d[0][\"$1\"]" < "$WORK/last-run.json"; } # field of the last retention_run's totals

# generate_repository COMMITS DATA_DIR: repository bench/history with COMMITS commits and
# COMMITS*PER pointer references (fast-import), every object claimed (rows copied from one real
# upload). Leaves the server stopped; sets BENCH_TOKEN (write access) and BARE.
generate_repository() {
  mkdir -p "$2"
  start_server "$2"
  api -X POST "$BASE/api/repos" -d '{"name":"bench/history"}' >/dev/null
  # One real upload gives a claim row whose timestamps the generated claims copy (stored form).
  BENCH_TOKEN=$(api -X POST "$BASE/api/tokens" -d '{"user":"bench","scopes":{"bench/history":"write"}}' | json 'd["token"]')
  printf 'seed' > "$WORK/seed.bin"; seed_oid=$(sha256sum "$WORK/seed.bin" | cut -d' ' -f1)
  curl -fsS -u "bench:$BENCH_TOKEN" -X PUT --data-binary @"$WORK/seed.bin" -H 'Content-Type: application/octet-stream' \
    "$BASE/bench/history.git/info/lfs/objects/$seed_oid" >/dev/null
  stop_server

  log "generating $1 commits, $(($1 * PER)) pointer references"
  BARE="$2/repos/bench/history.git"
  python3 bench/retention/generate.py "$1" "$(($1 * PER))" "$PATHS" "$WORK/oids-$1.txt" | git --git-dir "$BARE" fast-import --quiet
  python3 - "$2/storageserver.db" "$WORK/oids-$1.txt" "$seed_oid" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); seed = sys.argv[3]
created, = db.execute("select CreatedAt from objects where Oid=?", (seed,)).fetchone()
rid, by, at = db.execute("select RepositoryId, UploadedBy, UploadedAt from repo_objects where Oid=?", (seed,)).fetchone()
rows = [l.split() for l in open(sys.argv[2])]
db.executemany("insert into objects (Oid, Size, State, CreatedAt, StateChangedAt) values (?, ?, 0, ?, ?)", [(o, int(s), created, created) for o, s in rows])
db.executemany("insert into repo_objects (RepositoryId, Oid, UploadedBy, UploadedAt) values (?, ?, ?, ?)", [(rid, o, by, at) for o, s in rows])
db.commit()
PY
}
