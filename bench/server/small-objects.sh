#!/usr/bin/env bash
# Per-object cost (issue 17): the stock git-lfs client pushes COUNT (1,000) objects of 64 KiB and
# clones them back, against StorageServer (Release build, temp data dir, SQLite + filesystem
# defaults) and against DurableLfsHost, a database-less LFS server with the same durability (hash
# checked, file and directory fsynced, each new shard directory fsynced into its parent, before the 200), in the same run, alternating, RUNS times.
# Both serve git's own objects over smart HTTP through `git http-backend`: StorageServer with its access
# checks and its pre-/post-receive hooks, the baseline anonymous, with no hooks and no database.
# Also: download-batch latency for 100 existing objects (p50/p99, alternating requests) and the
# StorageServer's peak RSS (VmHWM) after the pushes and clones, and what it was made of at that peak.
#
#   bench/server/small-objects.sh            # env: COUNT (1000), SIZE (65536), RUNS (3), BATCH_RUNS (100), INSPECT,
#                                            #      WARMUP (20), WARM_RUNS (2), SERVER_DLL (default: the Release build),
#                                            #      SERVER_ARGS, SERVER_ENV, PROFILE, PROFILE_STEP (lfs-push or git-push)
#
# SERVER_DLL runs another build of the server instead, e.g. the shipped image's published one:
#   dotnet publish src/StorageServer -c Release -o /tmp/ss-publish   (deploy/Dockerfile's flags)
#   SERVER_DLL=/tmp/ss-publish/StorageServer.dll bench/server/small-objects.sh
# SERVER_ARGS adds switches to its command line (e.g. --Console:Enabled=false); SERVER_ENV sets
# environment variables for the server alone (e.g. 'DOTNET_gcConcurrent=0'), not for the baseline.
# The server always gets the DOTNET_ lines of deploy/systemd/storageserver.env first (what the
# deployments ship); SERVER_ENV comes after them and wins, e.g. SERVER_ENV='DOTNET_GCgen0size=0' for
# the runtime's own gen0 size.
#
# PROFILE runs a profiler command (with $SS_PID set) around StorageServer's last `git lfs push` (JIT warm), e.g.
#   DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 PROFILE='perf record -F 999 -g -p $SS_PID -o /tmp/ss.perf' bench/server/small-objects.sh
# or, with PROFILE_STEP=git-push, around its last warm `git push` (the last cold one when WARM_RUNS=0).
# The command gets SIGINT when the step ends (perf writes its file then), SIGTERM 30 s later if still running.
#
# The RUNS timed runs are a fresh server's first pushes: its push paths still run mostly at tier-0 JIT
# (a fresh process's first push costs 3-4x a later one's server CPU). Their lines are printed as they
# always were. Then each server gets WARMUP (20) untimed pushes and a clone of a small repository
# of its own, and WARM_RUNS (2) more timed runs and BATCH_RUNS batches follow, printed as "warm" lines
# next to the cold ones: what a long-running server costs per push.
#
# Prints medians, per-object milliseconds and ratios (StorageServer / baseline), and each server's
# CPU time (user + system, /proc/<pid>/stat) per uploaded object during `git lfs push` and per `git push`
# (each server's own, and next to it the CPU of the git processes it ran: http-backend, receive-pack, hooks).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=${COUNT:-1000} SIZE=${SIZE:-65536} RUNS=${RUNS:-3} BATCH_RUNS=${BATCH_RUNS:-100}
WARMUP=${WARMUP:-20} WARM_RUNS=${WARM_RUNS:-2} PROFILE_STEP=${PROFILE_STEP:-lfs-push}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/small-objects.XXXXXX")
SS_PID="" BASE_PID="" PEAK_PID=""
cleanup() {
  [ -n "$SS_PID" ] && kill "$SS_PID" 2>/dev/null || true
  [ -n "$BASE_PID" ] && kill "$BASE_PID" 2>/dev/null || true
  [ -n "$PEAK_PID" ] && kill "$PEAK_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '==> %s %s\n' "$(date +%T)" "$*" >&2; }

SERVER_DLL=${SERVER_DLL:-}
log "Release builds"
if [ -z "$SERVER_DLL" ]; then
  dotnet build "$ROOT/src/StorageServer" -c Release -nologo -clp:ErrorsOnly >/dev/null
  SERVER_DLL="$ROOT/src/StorageServer/bin/Release/net10.0/StorageServer.dll"
fi
dotnet build "$ROOT/bench/server/DurableLfsHost" -c Release -nologo -clp:ErrorsOnly >/dev/null

log "starting StorageServer and the baseline"
SS_PORT=$((20000 + RANDOM % 20000)) SS_URL=""
SS_URL="http://127.0.0.1:$SS_PORT"
ADMIN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The runtime settings the deployment ships: the bench measures the shipped server and cannot drift from it.
source "$ROOT/bench/shipped-env.sh"
log "server environment: ${SHIPPED_ENV}${SERVER_ENV:-}"
STORAGESERVER_ADMIN_TOKEN=$ADMIN env $SHIPPED_ENV ${SERVER_ENV:-} dotnet "$SERVER_DLL" \
  --urls "$SS_URL" --data-dir "$WORK/ss-data" ${SERVER_ARGS:-} >"$WORK/ss.log" 2>&1 &
SS_PID=$!
dotnet "$ROOT/bench/server/DurableLfsHost/bin/Release/net10.0/DurableLfsHost.dll" "$WORK/base-data" "$WORK/base-repos" >"$WORK/base.url" 2>"$WORK/base.err" &
BASE_PID=$!
for _ in $(seq 150); do curl -fs "$SS_URL/healthz" >/dev/null 2>&1 && [ -s "$WORK/base.url" ] && break; sleep 0.2; done
curl -fs "$SS_URL/healthz" >/dev/null || { cat "$WORK/ss.log" >&2; exit 1; }
# What the resident memory is made of at its highest, not only at the end (rss-peak.py; stopped after the clones).
python3 "$ROOT/bench/server/rss-peak.py" "$SS_PID" "$WORK/peak" > "$WORK/peak.split" 2>&1 & PEAK_PID=$!
BASE_URL=$(head -n1 "$WORK/base.url")
TOKEN=$(curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"user":"bench","scopes":{"*":"write"}}' "$SS_URL/api/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "could not create a token" >&2; exit 1; }

export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global user.name bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main
git lfs install >/dev/null
printf 'http://bench:%s@127.0.0.1:%s\n' "$TOKEN" "$SS_PORT" > "$HOME/.git-credentials"
git config --global credential.helper "store --file=$HOME/.git-credentials"


seconds() { # command… ; prints wall seconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

new_checkout() { # target name: a new repository on the target and, as the working directory, a checkout of it
  # tracking *.bin with LFS; sets the caller's remote and lfs_url.
  local target=$1 name=$2
  if [ "$target" = ss ]; then
    curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
      -d "{\"name\":\"bench/$name\"}" "$SS_URL/api/repos"
    remote="$SS_URL/bench/$name.git" lfs_url="$remote/info/lfs"
  else
    git init -q --bare "$WORK/base-repos/$name.git"
    remote="${BASE_URL}$name.git" lfs_url="$remote/info/lfs"
  fi
  git init -q "$WORK/$name"
  cd "$WORK/$name"
  git remote add origin "$remote"
  git config lfs.url "$lfs_url"
  git lfs track '*.bin' >/dev/null
}

run_case() { # target run → "lfs_push_s git_push_s clone_s"
  local target=$1 name="small-$1-$2" remote lfs_url
  new_checkout "$target" "$name"
  # Fresh bytes for every run and server: nothing may be stored already (no skipped uploads).
  python3 -c 'import os, sys
for i in range(1, int(sys.argv[1]) + 1): open(f"f{i}.bin", "wb").write(os.urandom(int(sys.argv[2])))' "$COUNT" "$SIZE"
  if [ "$2" = 1 ]; then mkdir -p "$WORK/data-$1" && cp f*.bin "$WORK/data-$1/"; fi # for the batch measurement
  git add . && git commit -qm data
  local lfs_s git_s clone_s cpu_before cpu_after profiler=""
  local pid=$BASE_PID; [ "$target" = ss ] && pid=$SS_PID
  [ "$target" = ss ] && [ "$2" = "$PROFILED_RUN" ] && [ "$PROFILE_STEP" = lfs-push ] && profiler=$(start_profiler)
  cpu_before=$(cpu_ticks "$pid")
  lfs_s=$(seconds git lfs push origin main)     # the LFS uploads alone
  cpu_after=$(cpu_ticks "$pid")
  [ -n "$profiler" ] && { stop_profiler "$profiler"; profiler=""; }
  [ "$target" = ss ] && [ "$2" = "$PROFILED_RUN" ] && [ "$PROFILE_STEP" = git-push ] && profiler=$(start_profiler)
  local push_before push_after
  push_before=$(cpu_ticks "$pid"); local children_before; children_before=$(child_ticks "$pid")
  git_s=$(seconds git push -q origin main)      # git's own objects, after a pre-push batch that finds all stored
  push_after=$(cpu_ticks "$pid"); local children_after; children_after=$(child_ticks "$pid")
  [ -n "$profiler" ] && stop_profiler "$profiler"
  cd "$WORK"
  clone_s=$(seconds git clone -q -c lfs.url="$lfs_url" "$remote" "$name-clone")
  [ "$(ls "$name-clone"/*.bin | wc -l)" -eq "$COUNT" ] && cmp -s "$name-clone/f1.bin" "$WORK/$name/f1.bin" \
    || { echo "clone of $target is incomplete" >&2; exit 1; }
  rm -rf "$WORK/$name" "$WORK/$name-clone"
  local hz; hz=$(getconf CLK_TCK)
  echo "$lfs_s $git_s $clone_s $(( (cpu_after - cpu_before) * 1000 / hz )) $(( (push_after - push_before) * 1000 / hz )) $(( (children_after - children_before) * 1000 / hz ))"
}

# PROFILE='perf record -g -p $SS_PID -o /tmp/ss.perf' runs around one step of StorageServer's PROFILED_RUN.
PROFILED_RUN=""
if [ -n "${PROFILE:-}" ]; then
  PROFILED_RUN=$RUNS
  [ "$PROFILE_STEP" = git-push ] && [ "$WARM_RUNS" -gt 0 ] && PROFILED_RUN="w$WARM_RUNS"
fi
start_profiler() { # → the profiler's pid; its output goes to stderr
  SS_PID=$SS_PID bash -c "exec $PROFILE" >&2 & echo $!; sleep 1
}
stop_profiler() { # pid: SIGINT (perf writes its file), SIGTERM if it ignores that (a shell loop in the background does)
  kill -INT "$1" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

cpu_ticks() { # pid → its user + system CPU so far, in clock ticks (fields 14 and 15 of /proc/pid/stat)
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
child_ticks() { # pid → CPU of its children it has waited for (fields 16 and 17): StorageServer's git processes
  awk '{ print $16 + $17 }' "/proc/$1/stat"
}

: > "$WORK/ss.times"; : > "$WORK/base.times"
alternating_runs() { # count label run-prefix times-suffix: count runs of each server, one after the other
  local run order target
  for run in $(seq "$1"); do
    # Alternate which goes first, so neither always meets a warmer (or busier) machine.
    if [ $((run % 2)) -eq 1 ]; then order="ss base"; else order="base ss"; fi
    for target in $order; do
      log "$2 $run: $target"
      run_case "$target" "$3$run" >> "$WORK/$target$4.times"
    done
  done
}
alternating_runs "$RUNS" run "" ""
HWM_PUSH=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SS_PID/status")
kill "$PEAK_PID" && wait "$PEAK_PID" || true
BASE_HWM=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$BASE_PID/status")

log "batch latency: $BATCH_RUNS download batches of 100 stored objects each, alternating"
for target in ss base; do
python3 - "$WORK/data-$target" "$COUNT" > "$WORK/batch-$target.json" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
objs = [{"oid": hashlib.sha256(open(os.path.join(d, f"f{i}.bin"), "rb").read()).hexdigest(),
         "size": os.path.getsize(os.path.join(d, f"f{i}.bin"))} for i in range(1, min(100, int(sys.argv[2])) + 1)]
print(json.dumps({"operation": "download", "transfers": ["basic"], "objects": objs}))
PY
done
actions=$(curl -fsS -u "bench:$TOKEN" -H 'Content-Type: application/vnd.git-lfs+json' --data-binary "@$WORK/batch-ss.json" \
  "$SS_URL/bench/small-ss-1.git/info/lfs/objects/batch" | grep -o '"download"' | wc -l)
[ "$actions" -eq "$(( COUNT < 100 ? COUNT : 100 ))" ] || { echo "the batch found $actions of its objects" >&2; exit 1; }
batch_time() { # target url [auth]
  curl -fsS -o /dev/null -w '%{time_total}\n' ${3:+-u "$3"} -H 'Accept: application/vnd.git-lfs+json' \
    -H 'Content-Type: application/vnd.git-lfs+json' --data-binary "@$WORK/batch-$1.json" "$2/objects/batch"
}
: > "$WORK/ss.batch"; : > "$WORK/base.batch"
for i in $(seq $((BATCH_RUNS + 5))); do
  a=$(batch_time ss "$SS_URL/bench/small-ss-1.git/info/lfs" "bench:$TOKEN")
  b=$(batch_time base "${BASE_URL}small-base-1.git/info/lfs")
  [ "$i" -gt 5 ] && { echo "$a" >> "$WORK/ss.batch"; echo "$b" >> "$WORK/base.batch"; }
done
HWM_END=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SS_PID/status")
LOG_BYTES=$(stat -c %s "$WORK/ss.log")
# What the resident memory is made of now: the heap and native allocations, or mapped files (assemblies, packs).
grep -E 'RssAnon|RssFile' "/proc/$SS_PID/status" | tr -s ' \t' ' ' >&2
python3 "$ROOT/bench/server/rss-breakdown.py" "$SS_PID" 25 >&2
echo "Split at the peak after the pushes and clones (bench/server/rss-peak.py):" >&2; cat "$WORK/peak.split" >&2
# Collections so far (start, the cold runs, the batches), from the server's own /metrics (loopback).
curl -fsS "$SS_URL/metrics" | awk -F'[" ]' '/^dotnet_collection_count_total/ { n = n sprintf(" gen%s %s", $2, $NF) }
  END { print "garbage collections so far:" n }' >&2
# INSPECT='dotnet-gcdump collect -p $SS_PID -o /tmp/ss.gcdump' runs a command against the live server here.
if [ -n "${INSPECT:-}" ]; then SS_PID=$SS_PID bash -c "$INSPECT" >&2 || true; fi

warm_up() { # target: WARMUP untimed rounds of commit and push (its pre-push uploads one LFS object) of a small repository, then a clone
  local target=$1 name="warmup-$1" remote lfs_url
  new_checkout "$target" "$name"
  for i in $(seq "$WARMUP"); do
    head -c 4096 /dev/urandom > "w$i.bin"; echo "$i" > round.txt
    git add . && git commit -qm "round $i"
    git push -q origin main >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  done
  git clone -q -c lfs.url="$lfs_url" "$remote" "$WORK/$name-clone" 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  rm -rf "$WORK/$name-clone"
  cd "$WORK"
  rm -rf "$WORK/$name"
}

: > "$WORK/ss.warm.times"; : > "$WORK/base.warm.times"; : > "$WORK/ss.warm.batch"; : > "$WORK/base.warm.batch"
if [ "$WARM_RUNS" -gt 0 ]; then
  for target in ss base; do log "warm-up: $WARMUP pushes and a clone of a small repository ($target)"; warm_up "$target"; done
  alternating_runs "$WARM_RUNS" "warm run" w .warm
  log "warm batch latency: $BATCH_RUNS download batches, alternating"
  for i in $(seq "$BATCH_RUNS"); do
    batch_time ss "$SS_URL/bench/small-ss-1.git/info/lfs" "bench:$TOKEN" >> "$WORK/ss.warm.batch"
    batch_time base "${BASE_URL}small-base-1.git/info/lfs" >> "$WORK/base.warm.batch"
  done
fi

python3 - "$WORK" "$COUNT" "$RUNS" "$HWM_PUSH" "$HWM_END" "$BASE_HWM" "$LOG_BYTES" "$WARMUP" "$WARM_RUNS" <<'PY'
import statistics, sys
work, count, runs, hwm_push, hwm_end, base_hwm, log_bytes, warmup, warm_runs = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:])
def rows(name): return [list(map(float, l.split())) for l in open(f"{work}/{name}.times")]
ss, base = rows("ss"), rows("base")
med = lambda rs, i: statistics.median(r[i] for r in rs)
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
print(f"{count} objects, {runs} alternating runs, medians (seconds); StorageServer / database-less baseline")
print(f"{'measure':<28}{'StorageServer':>14}{'baseline':>10}{'ratio':>8}")
def wall_lines(ss, base, labels): # labels of: LFS upload, git push, push total, clone
    for label, f in zip(labels, [lambda rs: med(rs, 0), lambda rs: med(rs, 1),
                                 lambda rs: statistics.median(r[0] + r[1] for r in rs), lambda rs: med(rs, 2)]):
        a, b = f(ss), f(base)
        print(f"{label:<28}{a:>14.2f}{b:>10.2f}{a / b:>8.2f}")
def batch_lines(prefix, ss_file, base_file):
    sb = [float(x) * 1000 for x in open(f"{work}/{ss_file}")]
    bb = [float(x) * 1000 for x in open(f"{work}/{base_file}")]
    for p in (50, 99):
        print(f"{prefix + f'batch 100 p{p} (ms)':<28}{pct(sb, p):>14.1f}{pct(bb, p):>10.1f}{pct(sb, p) / pct(bb, p):>8.2f}")
wall_lines(ss, base, ["LFS upload (git lfs push)", "git push (git objects)", "push total", "clone + checkout"])
# During `git push`: both answer the pre-push batch and run receive-pack (http-backend); StorageServer also its hooks.
print(f"{'server CPU per git push (ms)':<28}{med(ss, 4):>14.0f}{med(base, 4):>10.0f}   (both: batch, smart HTTP; ss: hooks)")
print(f"{'  its git processes (ms)':<28}{med(ss, 5):>14.0f}{med(base, 5):>10.0f}")
a, b = med(ss, 0) * 1000 / count, med(base, 0) * 1000 / count
print(f"{'per object upload (ms)':<28}{a:>14.2f}{b:>10.2f}{a / b:>8.2f}")
a, b = med(ss, 3) / count, med(base, 3) / count
print(f"{'server CPU per upload (ms)':<28}{a:>14.2f}{b:>10.2f}{a / b:>8.2f}")
print(f"{'  each run, in order':<28}{' '.join(f'{r[3] / count:.2f}' for r in ss):>14}  {' '.join(f'{r[3] / count:.2f}' for r in base)}")
batch_lines("", "ss.batch", "base.batch")
print(f"{'peak RSS after push+clone':<28}{hwm_push:>11} MB{base_hwm:>7} MB{hwm_push / base_hwm:>8.2f}")
print(f"{'peak RSS at the end':<28}{hwm_end:>11} MB")
print(f"{'server log volume':<28}{log_bytes // 1024:>11} KB")
# Warm: after the cold runs, the batches and WARMUP untimed pushes of a small repository per server.
ss, base = rows("ss.warm"), rows("base.warm")
if ss and base:
    print(f"warm: after {warmup} untimed pushes and a clone of a small repository per server, {warm_runs} alternating runs, medians")
    wall_lines(ss, base, ["warm LFS upload", "warm git push", "warm push total", "warm clone + checkout"])
    print(f"{'warm server CPU/git push ms':<28}{med(ss, 4):>14.0f}{med(base, 4):>10.0f}   (both: batch, smart HTTP; ss: hooks)")
    print(f"{'  its git processes (ms)':<28}{med(ss, 5):>14.0f}{med(base, 5):>10.0f}")
    print(f"{'  each run, in order':<28}{' '.join(f'{r[4]:.0f}' for r in ss):>14}  {' '.join(f'{r[4]:.0f}' for r in base)}")
    a, b = med(ss, 3) / count, med(base, 3) / count
    print(f"{'warm server CPU/upload (ms)':<28}{a:>14.2f}{b:>10.2f}{a / b:>8.2f}")
    batch_lines("warm ", "ss.warm.batch", "base.warm.batch")
PY
