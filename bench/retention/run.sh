#!/usr/bin/env bash
# Retention mark benchmark, run by hand (not part of the test suite). For each history size
# (default 5000/10000/20000 commits with 5 pointer changes per commit, i.e. 25k/50k/100k pointer
# references, every object claimed by the repository) it prints:
#   - baseline: the pointer-index rescan of the same repository (RescanRepository job), which a
#     mark needs anyway, and its wall time;
#   - the retention mark (dry run, policy keep-last-3, so the history walk and ~95 % of the
#     objects end up in the report): first mark (fills the reachability table) and a second one;
#   - the server's peak RSS (VmHWM) during the mark, next to its RSS after startup;
#   - a real mark (trashing the candidates) and, nine days later (past the trash window), the
#     sweep that deletes them: its wall time and how many objects it deleted;
#   - ratios mark/rescan and sweep/rescan, and how each grows with history size.
# Usage: bench/retention/run.sh [COMMITS...]     (env: PORT, WORK_DIR, POINTERS_PER_COMMIT, PATHS, STORAGESERVER_DLL)
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZES=("$@"); [ ${#SIZES[@]} -eq 0 ] && SIZES=(5000 10000 20000)
source bench/retention/lib.sh

log "Release build"
dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null

printf '\n%-8s %-9s %-10s %-10s %-10s %-9s %-11s %-11s %-10s %-9s %-8s %-9s\n' commits pointers rescan_s mark1_s mark2_s ratio rss_idle_MB rss_peak_MB candidates sweep_s swept sw_ratio
results=()
for COMMITS in "${SIZES[@]}"; do
  DATA="$WORK/data-$COMMITS"
  generate_repository "$COMMITS" "$DATA"
  start_server "$DATA"
  api -X POST "$BASE/api/retention/policies" -d '{"name":"keep last 3","keepLastVersions":3}' >/dev/null
  rescan=$(run_job RescanRepository '{"repository":"bench/history"}')
  stop_server
  # The mark runs two days later (the server's test clock): past the 24 h upload grace. A fresh
  # process, so VmHWM is the mark's.
  start_server "$DATA" 172800
  idle=$(( $(rss_kb "$server_pid" VmRSS) / 1024 ))
  mark1=$(mark); mark2=$(mark)
  peak=$(( $(rss_kb "$server_pid" VmHWM) / 1024 ))
  candidates=$(last_run candidates)
  retention_run mark >/dev/null
  stop_server
  # Nine more days: past the seven-day trash window.
  start_server "$DATA" $((172800 + 9 * 86400))
  sweep=$(retention_run sweep)
  swept=$(last_run swept)
  stop_server
  ratio=$(python3 -c "print(f'{$mark2/$rescan:.2f}')")
  sweep_ratio=$(python3 -c "print(f'{$sweep/$rescan:.2f}')")
  printf '%-8s %-9s %-10s %-10s %-10s %-9s %-11s %-11s %-10s %-9s %-8s %-9s\n' "$COMMITS" "$((COMMITS * PER))" "$rescan" "$mark1" "$mark2" "$ratio" "$idle" "$peak" "$candidates" "$sweep" "$swept" "$sweep_ratio"
  results+=("$COMMITS $mark2 $rescan")
  rm -rf "$DATA"
done
first=(${results[0]}); last=(${results[-1]})
python3 -c "print('\ngrowth ${first[0]} -> ${last[0]} commits (x%.1f): mark x%.2f, rescan x%.2f' % (${last[0]}/${first[0]}, ${last[1]}/${first[1]}, ${last[2]}/${first[2]}))"
