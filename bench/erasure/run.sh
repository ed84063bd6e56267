#!/usr/bin/env bash
# GDPR erasure: content-scan throughput vs grep -F -c over the same files, and the end-to-end time
# of one erasure request for a subject in N objects. By hand only (not part of scripts/test.sh).
# Usage: bench/erasure/run.sh [scan-GiB (default 2; 0 skips the scan)] [objects (default 1000)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/shipped-env.sh
gib=${1:-2}
count=${2:-1000}
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
dotnet build bench/erasure/ErasureBench -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null
bench="dotnet bench/erasure/ErasureBench/bin/Release/net10.0/ErasureBench.dll"
echo "$(nproc) cores, $(git rev-parse --short HEAD)"

# 1. Content scan: the same files, the same identifiers, warm page cache; best of 3 each, alternating.
if [ "$gib" -gt 0 ]; then
$bench generate "$work/objects" $((gib * 1024))
files=("$work"/objects/*)
bytes=$(cat "${files[@]}" | wc -c)
patterns=("alice.example@example.org" "Alice Q. Example" "cust-00042")
grep_args=(); for p in "${patterns[@]}"; do grep_args+=(-e "$p"); done
cat "${files[@]}" >/dev/null
best() { sort -g | head -1; }
scan_exact=(); grep_exact=(); scan_ci=(); grep_ci=()
for run in 1 2 3; do
  scan_exact+=("$($bench scan "$work/objects" 0 "${patterns[@]}" | cut -d' ' -f1)")
  s=$(date +%s.%N); grep -F -c "${grep_args[@]}" "${files[@]}" >/dev/null || true; e=$(date +%s.%N)
  grep_exact+=("$(echo "$e - $s" | bc)")
  scan_ci+=("$($bench scan "$work/objects" 1 "${patterns[@]}" | cut -d' ' -f1)")
  s=$(date +%s.%N); grep -F -i -c "${grep_args[@]}" "${files[@]}" >/dev/null || true; e=$(date +%s.%N)
  grep_ci+=("$(echo "$e - $s" | bc)")
done
report() { # label, scan-seconds, grep-seconds
  python3 - "$1" "$2" "$3" "$bytes" <<'PY'
import sys
label, scan, grep, size = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
mib = size / 1048576
print(f"{label:<28} scan {mib/scan:8.0f} MiB/s   grep -F -c {mib/grep:8.0f} MiB/s   scan/grep {grep/scan:5.2f}x (goal >= 1.0)")
PY
}
echo "content scan over $((bytes / 1048576)) MiB in ${#files[@]} objects, ${#patterns[@]} identifiers (best of 3):"
report "exact" "$(printf '%s\n' "${scan_exact[@]}" | best)" "$(printf '%s\n' "${grep_exact[@]}" | best)"
report "case-insensitive (-i)" "$(printf '%s\n' "${scan_ci[@]}" | best)" "$(printf '%s\n' "${grep_ci[@]}" | best)"
rm -rf "$work/objects"
fi

# 2. End to end: a real server, a subject in $count objects (path rule + content scan + tip commit).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
STORAGESERVER_ADMIN_TOKEN=bench-admin-token-0123456789abcdef env $SHIPPED_ENV \
  dotnet src/StorageServer/bin/Release/net10.0/StorageServer.dll --urls "http://127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
read -r seconds state erased upload < <($bench erase "http://127.0.0.1:$port" bench-admin-token-0123456789abcdef "$count" "$work")
echo "erasure of a subject in $count objects: ${seconds} s ($state, $erased objects erased; setup upload took ${upload} s)"
