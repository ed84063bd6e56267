#!/usr/bin/env bash
# LFS server benchmarks, run by hand (not part of the test suite). One run prints:
#   - single-stream upload throughput (curl PUT with a batch transfer token) vs dd conv=fdatasync
#   - download throughput (curl GET) vs nginx (sendfile on) serving the same file from disk
#   - batch endpoint latency, p50/p99, for 100 and 1000 objects
#   - peak server RSS (VmHWM) during an upload of UPLOAD_GIB (default 4) GiB
# Usage: bench/server/run.sh [UPLOAD_GIB]        (env: PORT, NGINX_PORT, BATCH_RUNS, WORK_DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/shipped-env.sh

GIB=${1:-4}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
BATCH_RUNS=${BATCH_RUNS:-50}
WORK=${WORK_DIR:-$(mktemp -d /tmp/lfs-bench-XXXXXX)}
ADMIN=bench-admin-token-0123456789abcdef
BASE="http://127.0.0.1:$PORT"
LFS="$BASE/team/bench.git/info/lfs"
server_pid=""; nginx_pid=""

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '==> %s\n' "$*" >&2; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
mbps() { python3 -c "print(f'{$1/$2/1048576:.0f}')"; }

log "Release build"
dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null

mkdir -p "$WORK/data" "$WORK/nginx"
log "generating ${GIB} GiB of random data in $WORK"
head -c "$((GIB * 1024 * 1024 * 1024))" /dev/urandom > "$WORK/object.bin"
SIZE=$(stat -c %s "$WORK/object.bin")
OID=$(sha256sum "$WORK/object.bin" | cut -d' ' -f1)

log "starting server on $BASE"
STORAGESERVER_ADMIN_TOKEN=$ADMIN Logging__LogLevel__Default=Warning env $SHIPPED_ENV \
  dotnet src/StorageServer/bin/Release/net10.0/StorageServer.dll --urls "$BASE" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"team/bench"}' "$BASE/api/repos" >/dev/null
TOKEN=$(curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"user":"bench","scopes":{"team/bench":"write"}}' "$BASE/api/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

batch() { # operation, objects-json-file -> response on stdout
  curl -fsS -u "bench:$TOKEN" -H 'Content-Type: application/vnd.git-lfs+json; charset=utf-8' \
    --data-binary "@$2" "$LFS/objects/batch"
}
printf '{"operation":"upload","objects":[{"oid":"%s","size":%s}]}' "$OID" "$SIZE" > "$WORK/one.json"
UPLOAD_AUTH=$(batch upload "$WORK/one.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["actions"]["upload"]["header"]["Authorization"])')

STORED="$WORK/data/objects/${OID:0:2}/${OID:2:2}/$OID"
now() { date +%s.%N; }
# The disk of a VM is noisy: alternate dd and upload twice and keep the best of each.
rss_before=$(awk '/VmHWM/ {print $2}' /proc/$server_pid/status)
dd_s=1e9; put_s=1e9
for round in 1 2; do
  log "round $round: dd bs=1M conv=fdatasync of $SIZE bytes"
  start=$(now)
  dd if="$WORK/object.bin" of="$WORK/dd.out" bs=1M conv=fdatasync status=none
  dd_s=$(python3 -c "print(min($dd_s, $(now) - $start))")
  rm -f "$WORK/dd.out"
  log "round $round: curl PUT of $SIZE bytes"
  rm -f "$STORED" # so the second round stores again instead of only re-hashing
  put=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -T "$WORK/object.bin" \
    -H "Authorization: $UPLOAD_AUTH" -H 'Content-Type: application/octet-stream' "$LFS/objects/$OID")
  [ "${put%% *}" = 200 ] || { echo "PUT failed: $put" >&2; exit 1; }
  put_s=$(python3 -c "print(min($put_s, ${put##* }))")
done
rss_peak=$(awk '/VmHWM/ {print $2}' /proc/$server_pid/status)

printf '{"operation":"download","objects":[{"oid":"%s","size":%s}]}' "$OID" "$SIZE" > "$WORK/dl.json"
DOWNLOAD_AUTH=$(batch download "$WORK/dl.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["actions"]["download"]["header"]["Authorization"])')
cat "$STORED" > /dev/null # both servers read from the page cache

log "download: server GET vs nginx sendfile"
get_best=0
for _ in 1 2 3; do
  s=$(curl -sS -o /dev/null -w '%{speed_download}' -H "Authorization: $DOWNLOAD_AUTH" "$LFS/objects/$OID")
  get_best=$(python3 -c "print(max($get_best, $s))")
done
chmod 755 "$WORK" "$WORK/data" "$WORK/data/objects" "$(dirname "$(dirname "$STORED")")" "$(dirname "$STORED")"
chmod 644 "$STORED"
cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off;
$( [ "$(id -u)" -eq 0 ] && echo 'user root;' )
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $(dirname "$STORED"); }
}
CONF
/usr/sbin/nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null -r 0-0 "http://127.0.0.1:$NGINX_PORT/$OID" && break; sleep 0.1; done
nginx_best=0
for _ in 1 2 3; do
  s=$(curl -sS -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$NGINX_PORT/$OID")
  nginx_best=$(python3 -c "print(max($nginx_best, $s))")
done

log "batch latency ($BATCH_RUNS requests each)"
latency() { # count -> "p50 p99" in ms
  python3 - "$1" > "$WORK/batch-$1.json" <<'PY'
import hashlib, json, sys
n = int(sys.argv[1])
print(json.dumps({"operation": "upload", "transfers": ["basic", "ssh", "lfs-standalone-file"], "ref": {"name": "refs/heads/main"},
                  "objects": [{"oid": hashlib.sha256(str(i).encode()).hexdigest(), "size": i + 1} for i in range(n)], "hash_algo": "sha256"}))
PY
  for _ in 1 2 3 4 5; do batch upload "$WORK/batch-$1.json" >/dev/null; done # warm-up (JIT tiers, caches)
  for _ in $(seq 1 "$BATCH_RUNS"); do
    curl -sS -o /dev/null -w '%{time_total}\n' -u "bench:$TOKEN" -H 'Content-Type: application/vnd.git-lfs+json; charset=utf-8' \
      --data-binary "@$WORK/batch-$1.json" "$LFS/objects/batch"
  done | python3 -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin)
p = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))]
print(f"{p(0.5):.1f} {p(0.99):.1f}")'
}
lat100=$(latency 100)
lat1000=$(latency 1000)

dd_mbps=$(mbps "$SIZE" "$dd_s")
put_mbps=$(mbps "$SIZE" "$put_s")
get_mbps=$(python3 -c "print(f'{$get_best/1048576:.0f}')")
nginx_mbps=$(python3 -c "print(f'{$nginx_best/1048576:.0f}')")
echo
echo "LFS server benchmark: $(nproc) cores, ${GIB} GiB object, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-34s %8s MiB/s\n' "upload (curl PUT, token)" "$put_mbps"
printf '%-34s %8s MiB/s\n' "dd bs=1M conv=fdatasync" "$dd_mbps"
printf '%-34s %8s  (goal >= 0.8)\n' "upload / dd" "$(ratio "$put_mbps" "$dd_mbps")"
printf '%-34s %8s MiB/s\n' "download (curl GET, best of 3)" "$get_mbps"
printf '%-34s %8s MiB/s\n' "nginx sendfile (best of 3)" "$nginx_mbps"
printf '%-34s %8s  (goal >= 0.7)\n' "download / nginx" "$(ratio "$get_mbps" "$nginx_mbps")"
printf '%-34s %8s ms p50, %s ms p99\n' "batch 100 objects" ${lat100}
printf '%-34s %8s ms p50, %s ms p99\n' "batch 1000 objects" ${lat1000}
printf '%-34s %8s MB (before upload: %s MB; goal < 200)\n' "server peak RSS (VmHWM)" "$((rss_peak / 1024))" "$((rss_before / 1024))"
