#!/usr/bin/env bash
# Compares `git storage` with `git lfs` on push and on clone+checkout, and records each client's
# peak memory (max RSS of any one client process, from /usr/bin/time).
#
#   bench/client/run.sh                 # both data sets, against a local plain LFS test server
#   bench/client/run.sh --quick         # 100 x 64 KiB and 2 x 50 MiB: a smoke run
#   bench/client/run.sh --lfs-url URL   # any LFS server: URL is the base, .../<name>.git/info/lfs is
#                                       # appended per run; credentials through your credential helper
#   bench/client/run.sh --storageserver # the real StorageServer (Release build, temp data dir): git
#                                       # over its smart HTTP, a write token through a credential store
#   --runs N                            # repeat each measurement N times and keep the best (default 1)
#   --sets "large"                      # only these data sets (default "small large")
#
# Data sets: (a) 1,000 files of 64 KiB, (b) 20 files of 50 MiB. Results go to bench/results/ (ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/bench/shipped-env.sh"
SMALL_COUNT=1000 SMALL_SIZE=$((64 * 1024)) LARGE_COUNT=20 LARGE_SIZE=$((50 * 1024 * 1024))
LFS_BASE="" STORAGESERVER="" RUNS=1 SETS="small large"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SMALL_COUNT=100; LARGE_COUNT=2 ;;
    --lfs-url) LFS_BASE="${2%/}/"; shift ;;
    --storageserver) STORAGESERVER=1 ;;
    --runs) RUNS=$2; shift ;;
    --sets) SETS=$2; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/git-storage-bench.XXXXXX")
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS" "$WORK/bin" "$WORK/home"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building the client (Release)…" >&2
# For this machine's runtime, as a user publishes it: native (Native AOT, see GitHooks.csproj and its README).
# BENCH_CLIENT_BUILD=r2r times the ReadyToRun build (IL plus precompiled code, run with `dotnet`) instead.
if [ "${BENCH_CLIENT_BUILD:-native}" = r2r ]; then
  dotnet publish "$ROOT/src/GitHooks" -c Release -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true \
    -o "$WORK/client" >/dev/null
  CLIENT_CMD="dotnet $WORK/client/git-storage.dll"
else
  dotnet publish "$ROOT/src/GitHooks" -c Release -r linux-x64 -o "$WORK/client" >/dev/null
  CLIENT_CMD="$WORK/client/git-storage"
fi

# Wrappers record the peak RSS of every client process they start.
cat > "$WORK/bin/git-storage" <<WRAP
#!/bin/sh
exec /usr/bin/time -a -o "\$BENCH_RSS_LOG" -f "%M %U %S" $CLIENT_CMD "\$@"
WRAP
cat > "$WORK/bin/git-lfs" <<WRAP
#!/bin/sh
exec /usr/bin/time -a -o "\$BENCH_RSS_LOG" -f "%M %U %S" /usr/bin/git-lfs "\$@"
WRAP
chmod +x "$WORK/bin/git-storage" "$WORK/bin/git-lfs"

if [ -n "$STORAGESERVER" ]; then
  echo "starting StorageServer (Release)…" >&2
  dotnet build "$ROOT/src/StorageServer" -c Release >/dev/null
  SS_PORT=$((20000 + RANDOM % 20000))
  SS_URL="http://127.0.0.1:$SS_PORT"
  ADMIN_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  STORAGESERVER_ADMIN_TOKEN="$ADMIN_TOKEN" env $SHIPPED_ENV dotnet "$ROOT/src/StorageServer/bin/Release/net10.0/StorageServer.dll" \
    --urls "$SS_URL" --data-dir "$WORK/ss-data" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -fs "$SS_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "$SS_URL/healthz" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  WRITE_TOKEN=$(curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"user":"bench","scopes":{"*":"write"}}' "$SS_URL/api/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$WRITE_TOKEN" ] || { echo "could not create a token" >&2; exit 1; }
  LFS_BASE="$SS_URL/bench/"
elif [ -z "$LFS_BASE" ]; then
  echo "starting the plain LFS test server…" >&2
  dotnet build "$ROOT/bench/client/LfsTestServerHost" -c Release >/dev/null
  dotnet "$ROOT/bench/client/LfsTestServerHost/bin/Release/net10.0/LfsTestServerHost.dll" "$WORK/server" > "$WORK/server.url" 2>"$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 50); do [ -s "$WORK/server.url" ] && break; sleep 0.2; done
  LFS_BASE=$(head -n1 "$WORK/server.url")
fi

export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export PATH="$WORK/bin:$PATH" BENCH_RSS_LOG="$WORK/rss-setup.log"
git config --global user.name bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main
if [ -n "$STORAGESERVER" ]; then
  printf 'http://bench:%s@127.0.0.1:%s\n' "$WRITE_TOKEN" "$SS_PORT" > "$WORK/home/.git-credentials"
  git config --global credential.helper "store --file=$WORK/home/.git-credentials"
fi

make_data() { # dir count size
  mkdir -p "$1"
  for i in $(seq "$2"); do head -c "$3" /dev/urandom > "$1/f$i.bin"; done
}
echo "generating data…" >&2
for set in $SETS; do
  case "$set" in
    small) make_data "$WORK/data-small" "$SMALL_COUNT" "$SMALL_SIZE" ;;
    large) make_data "$WORK/data-large" "$LARGE_COUNT" "$LARGE_SIZE" ;;
    *) echo "unknown data set: $set" >&2; exit 2 ;;
  esac
done
make_data "$WORK/data-warm" 20 "$SMALL_SIZE"

timed() { # label command… ; prints seconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.2f\n", ns / 1e9 }'
}

peak_rss() { sort -n "$BENCH_RSS_LOG" 2>/dev/null | tail -n1 | cut -d" " -f1; }
# CPU seconds (user + system) of all client processes of one step.
client_cpu() { awk '{ s += $2 + $3 } END { printf "%.2f\n", s }' "$BENCH_RSS_LOG"; }


run_case() { # client dataset run
  local client=$1 set=$2 name="bench-$1-$2-$3-$$"
  local dir="$WORK/$name" url="${LFS_BASE}${name}.git/info/lfs" remote_url
  export BENCH_RSS_LOG="$WORK/rss-setup.log"
  if [ -n "$STORAGESERVER" ]; then
    curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
      -d "{\"name\":\"bench/$name\"}" "$SS_URL/api/repos"
    remote_url="${LFS_BASE}${name}.git"
  else
    git init -q --bare "$dir/remote.git"
    remote_url="file://$dir/remote.git"
  fi
  git init -q "$dir/work"
  cd "$dir/work"
  git remote add origin "$remote_url"
  git config lfs.url "$url"
  if [ "$client" = storage ]; then git storage install >/dev/null; git storage track "*.bin" >/dev/null
  else git lfs install --local >/dev/null; git lfs track "*.bin" >/dev/null; fi
  cp "$WORK/data-$set"/*.bin .
  export BENCH_RSS_LOG="$dir/rss-add.log"
  local add; add=$(timed git add .)
  git commit -qm data
  # Each timed step starts with the setup's writes on disk: git-lfs's slower `add` otherwise leaves
  # the kernel more time to write back the 2 GB it copied and cleaned, and the server's per-object
  # fsync waits behind whatever writeback is left (measured: whoever went second in a pair won).
  sync
  export BENCH_RSS_LOG="$dir/rss-push.log"
  local push; push=$(timed git push -q origin main)
  local push_rss push_cpu; push_rss=$(peak_rss); push_cpu=$(client_cpu)
  cd "$dir"
  # git clone with per-clone filter config (the hooks come with the filter on first use).
  sync
  export BENCH_RSS_LOG="$dir/rss-clone.log"
  local clone
  if [ "$client" = storage ]; then
    clone=$(timed git clone -q -c lfs.url="$url" -c "filter.lfs.process=git-storage filter-process" -c filter.lfs.required=true \
      -c "filter.lfs.clean=git-storage clean -- %f" -c "filter.lfs.smudge=git-storage smudge -- %f" "$remote_url" clone)
  else
    clone=$(timed git clone -q -c lfs.url="$url" -c "filter.lfs.process=git-lfs filter-process" -c filter.lfs.required=true \
      -c "filter.lfs.clean=git-lfs clean -- %f" -c "filter.lfs.smudge=git-lfs smudge -- %f" "$remote_url" clone)
  fi
  local clone_rss clone_cpu; clone_rss=$(peak_rss); clone_cpu=$(client_cpu)
  # The clone must hold the data, not pointers.
  cmp -s "$WORK/data-$set/f1.bin" "$dir/clone/f1.bin" || { echo "clone of $client/$set lacks data" >&2; return 1; }
  [ -z "$(git -C "$dir/clone" status --porcelain)" ] || { echo "clone of $client/$set is not clean" >&2; return 1; }
  echo "$client $set $add $push $clone $push_rss $clone_rss $push_cpu $clone_cpu"
  if [ -n "${BENCH_TRACE:-}" ]; then cp "$WORK/last.err" "$RESULTS/trace-$name.err"; fi
  export BENCH_RSS_LOG="$WORK/rss-setup.log"
  rm -rf "$dir"
}

OUT="$RESULTS/client-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# git storage vs git lfs; small=${SMALL_COUNT}x${SMALL_SIZE}B large=${LARGE_COUNT}x${LARGE_SIZE}B; server=${LFS_BASE}${STORAGESERVER:+ (StorageServer)}; runs=${RUNS}; $(uptime)"
  echo "# client set add_s push_s clone_s push_peak_rss_kb clone_peak_rss_kb push_client_cpu_s clone_client_cpu_s"
  # Warm-up (not recorded): a freshly started server would charge its JIT to whoever goes first.
  run_case storage warm 0 >/dev/null; run_case lfs warm 0 >/dev/null
  for set in $SETS; do
    for run in $(seq "$RUNS"); do
      # Alternate who goes first, so neither always meets a colder cache.
      if [ $((run % 2)) = 1 ]; then order="storage lfs"; else order="lfs storage"; fi
      for client in $order; do
        run_case "$client" "$set" "$run"
      done
    done
  done
} | tee "$OUT.raw"

# Ratios: git storage time / git lfs time (below 1 means git storage is faster).
awk '
  /^#/ { print; next }
  # best of the runs: the fastest time, and the largest peak RSS seen in any run
  { key=$2; sets[key]=1
    if (!(($1,key,"push") in t) || $4 < t[$1,key,"push"]) t[$1,key,"push"]=$4
    if (!(($1,key,"clone") in t) || $5 < t[$1,key,"clone"]) t[$1,key,"clone"]=$5
    if ($6 > r[$1,key,"push"]) r[$1,key,"push"]=$6
    if ($7 > r[$1,key,"clone"]) r[$1,key,"clone"]=$7
    c[$1,key,"push"] += $8; c[$1,key,"clone"] += $9; n[$1,key]++ }
  END {
    printf "%-6s %-6s %10s %10s %8s %14s %14s %13s %9s\n", "set", "op", "storage_s", "lfs_s", "ratio", "storage_rss_kb", "lfs_rss_kb", "storage_cpu_s", "lfs_cpu_s"
    for (s in sets) for (o = 1; o <= 2; o++) {
      op = (o == 1) ? "push" : "clone"
      # client CPU: mean over the runs
      printf "%-6s %-6s %10.2f %10.2f %8.2f %14d %14d %13.2f %9.2f\n", s, op, t["storage",s,op], t["lfs",s,op], t["storage",s,op] / t["lfs",s,op], r["storage",s,op], r["lfs",s,op], c["storage",s,op] / n["storage",s], c["lfs",s,op] / n["lfs",s]
    }
  }' "$OUT.raw" | tee "$OUT"
echo "results: $OUT" >&2
