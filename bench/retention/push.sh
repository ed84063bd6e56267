#!/usr/bin/env bash
# Push latency on a repository with a long history, run by hand (not part of the test suite).
# Every push runs the server's post-receive work: index the new commits' pointers, then refresh
# retention reachability (which reads the pointers at every protected tip). For each history size
# (default 5000 and 20000 commits; a tag every 1000 commits, so 6 and 21 protected tips of ~2000
# files each) it times PUSHES one-commit pushes (one pointer file changed) of real git:
#   - scenario: to the server over smart HTTP;
#   - baseline: the same pushes to a local bare copy of the repository (git alone, no server);
# and prints the medians and their ratio.
# Usage: bench/retention/push.sh [COMMITS...]     (env: PUSHES (10), PORT, WORK_DIR, POINTERS_PER_COMMIT, PATHS)
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZES=("$@"); [ ${#SIZES[@]} -eq 0 ] && SIZES=(5000 20000)
PUSHES=${PUSHES:-10}
source bench/retention/lib.sh

median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.3f}')" "$@"; }
push_commits() { # worktree remote oids-file → the push times, one per line
  local w=$1 remote=$2 oids=$3 i line t0
  for i in $(seq 1 "$PUSHES"); do
    line=$(sed -n "$((i * 7))p" "$oids")
    printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' ${line} > "$w/data/d00/file00000.bin"
    git -C "$w" commit -qam "push $i"
    t0=$(now)
    git -C "$w" push -q "$remote" HEAD:main 2>/dev/null
    python3 -c "print(f'{$(now)-$t0:.3f}')"
  done
}

log "Release build"
dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null

printf '\n%-8s %-6s %-15s %-15s %-7s\n' commits tips server_push_s git_local_push_s ratio
for COMMITS in "${SIZES[@]}"; do
  DATA="$WORK/data-$COMMITS"
  generate_repository "$COMMITS" "$DATA"
  start_server "$DATA"
  run_job RescanRepository '{"repository":"bench/history"}' >/dev/null
  tips=$(git --git-dir "$BARE" for-each-ref | wc -l)
  git clone -q --bare "$BARE" "$WORK/local-$COMMITS.git"
  for target in server local; do
    GIT_LFS_SKIP_SMUDGE=1 git clone -q "$( [ $target = server ] && echo "http://bench:$BENCH_TOKEN@127.0.0.1:$PORT/bench/history.git" || echo "$WORK/local-$COMMITS.git")" "$WORK/w-$target-$COMMITS"
    git -C "$WORK/w-$target-$COMMITS" config user.email bench@example.com
    git -C "$WORK/w-$target-$COMMITS" config user.name bench
  done
  server_times=$(push_commits "$WORK/w-server-$COMMITS" origin "$WORK/oids-$COMMITS.txt")
  local_times=$(push_commits "$WORK/w-local-$COMMITS" origin "$WORK/oids-$COMMITS.txt")
  stop_server
  s=$(median $server_times); l=$(median $local_times)
  printf '%-8s %-6s %-15s %-15s %-7s\n' "$COMMITS" "$tips" "$s" "$l" "$(python3 -c "print(f'{$s/$l:.1f}')")"
  rm -rf "$DATA" "$WORK"/w-*-"$COMMITS" "$WORK/local-$COMMITS.git"
done
