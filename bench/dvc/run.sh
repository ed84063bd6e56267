#!/usr/bin/env bash
# DVC remote benchmark, run by hand (not part of the test suite): DVC-shaped push and pull
# (bench/dvc/dvc_requests.py sends DVC 3's requests: GET existence checks, chunked uploads of
# 5 MiB chunks, 8 jobs) of SMALL_COUNT x 64 KiB and LARGE_COUNT x 100 MiB objects against the
# server's DVC remote and against nginx (dav_methods PUT, temp config, loopback) serving a folder,
# alternating server and nginx ROUNDS times, fresh objects each round; prints times and ratios.
# Usage: bench/dvc/run.sh      (env: PORT, NGINX_PORT, ROUNDS=2, SMALL_COUNT=1000, LARGE_COUNT=4, JOBS=8, WORK_DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/shipped-env.sh

PORT=${PORT:-18090}
NGINX_PORT=${NGINX_PORT:-18091}
ROUNDS=${ROUNDS:-2}
SMALL_COUNT=${SMALL_COUNT:-1000}
LARGE_COUNT=${LARGE_COUNT:-4}
JOBS=${JOBS:-8}
WORK=${WORK_DIR:-$(mktemp -d /tmp/dvc-bench-XXXXXX)}
ADMIN=bench-admin-token-0123456789abcdef
BASE="http://127.0.0.1:$PORT"
REQ="python3 bench/dvc/dvc_requests.py"
server_pid=""; nginx_pid=""

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '==> %s\n' "$*" >&2; }

log "Release build"
dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null

mkdir -p "$WORK/data" "$WORK/nginx/root" "$WORK/nginx/tmp"
# nginx workers run as nobody: they must be able to write the served folder.
chmod 755 "$WORK" && chmod -R a+rwx "$WORK/nginx"
log "starting server on $BASE"
STORAGESERVER_ADMIN_TOKEN=$ADMIN Logging__LogLevel__Default=Warning env $SHIPPED_ENV \
  dotnet src/StorageServer/bin/Release/net10.0/StorageServer.dll --urls "$BASE" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
api() { curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
TOKEN=$(api -d '{"user":"bench","scopes":{"*":"write"}}' "$BASE/api/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Basic $(printf 'bench:%s' "$TOKEN" | base64 -w0)"

cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  sendfile on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/root;
    client_max_body_size 0;
    location / { dav_methods PUT; create_full_put_path on; }
  }
}
CONF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
/usr/sbin/nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5

declare -A best
keep_best() { # name seconds
  best[$1]=$(python3 -c "print(min(${best[$1]:-1e9}, $2))")
}
for round in $(seq 1 "$ROUNDS"); do
  for set in small large; do
    dir="$WORK/set-$round-$set"
    if [ $set = small ]; then $REQ generate "$dir" "$SMALL_COUNT" 65536 "$round"; else $REQ generate "$dir" "$LARGE_COUNT" 104857600 "$((round + 100))"; fi
    repo="team/bench-$round-$set"
    api -d "{\"name\":\"$repo\"}" "$BASE/api/repos" >/dev/null
    server_url="$BASE/$repo.git/info/dvc"
    nginx_url="http://127.0.0.1:$NGINX_PORT/$round-$set"
    for target in server nginx; do
      url=$server_url; method=POST; auth=$AUTH
      [ $target = nginx ] && { url=$nginx_url; method=PUT; auth=""; }
      sync
      out=$($REQ push "$url" $method "$JOBS" "$auth" "$dir")
      log "round $round $set push $target: ${out% *} s, ${out#* } MiB/s"
      keep_best "$set-push-$target" "${out% *}"
      out=$($REQ pull "$url" $method "$JOBS" "$auth" "$dir")
      log "round $round $set pull $target: ${out% *} s, ${out#* } MiB/s"
      keep_best "$set-pull-$target" "${out% *}"
    done
    rm -rf "$dir"
  done
done

printf '\n%-28s %10s %10s %8s\n' "scenario (best of $ROUNDS)" "server s" "nginx s" "ratio"
for set in small large; do
  for op in push pull; do
    s=${best[$set-$op-server]}; n=${best[$set-$op-nginx]}
    label="$op $([ $set = small ] && echo "$SMALL_COUNT x 64 KiB" || echo "$LARGE_COUNT x 100 MiB")"
    printf '%-28s %10.2f %10.2f %8.2f\n' "$label" "$s" "$n" "$(python3 -c "print($s/$n)")"
  done
done
echo "(ratio = server time / nginx time; 1.00 = as fast as nginx serving files)"
