#!/usr/bin/env bash
# Cluster throughput: 16 concurrent clients upload Git LFS objects (batch → PUT → verify if asked, as
# git-lfs's basic adapter does) through nginx, to ONE node vs TWO nodes, on PostgreSQL + s3rver.
# Two object sizes: 1 MiB (16 objects per client, request-bound) and 64 MiB (1 per client,
# byte-bound). Each scenario runs twice, alternating, best of each; prints MiB/s and the ratio.
# By hand only (not part of scripts/test.sh). Usage: bench/cluster/run.sh [clients]
# Needs: dotnet, nginx, curl, python3, node (s3rver in .tools/), PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/shipped-env.sh
root=$PWD
clients=${1:-16}
work=$(mktemp -d /tmp/bench-cluster-XXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${pg_ctl:-}" ] && as_pg "$pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "timeout waiting for $1" >&2; exit 1; }

dotnet build src/StorageServer -c Release -nologo -clp:ErrorsOnly >/dev/null
tools=.tools/s3rver
[ -f "$tools/node_modules/s3rver/bin/s3rver.js" ] || npm install --prefix "$tools" --no-audit --no-fund --silent s3rver@3.7.1

# PostgreSQL: a throwaway cluster (as the postgres user when root, like the tests).
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_ctl=$bin/pg_ctl
mkdir -p "$work/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg"
as_pg "$bin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --no-locale --no-sync >/dev/null
pg_port=$(port)
as_pg "$pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
"$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench" >/dev/null

s3_port=$(port)
node "$tools/node_modules/s3rver/bin/s3rver.js" --directory "$work/s3" --port "$s3_port" --address 127.0.0.1 --silent --configure-bucket bench >/dev/null &
pids+=($!)

mkdir -p "$work/repos"
export STORAGESERVER_ADMIN_TOKEN=bench-admin-token-0123456789abcdef
export Database__Provider=Postgres Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench"
export ObjectStore__Type=S3 ObjectStore__S3__ServiceUrl="http://127.0.0.1:$s3_port" ObjectStore__S3__Bucket=bench
export ObjectStore__S3__AccessKey=S3RVER ObjectStore__S3__SecretKey=S3RVER
export Git__RepositoriesPath="$work/repos" Auth__SigningKey=$(head -c 32 /dev/urandom | base64)
export Logging__LogLevel__Default=Warning
node_ports=()
for n in 1 2; do
  p=$(port)
  StorageServer__NodeId=node$n env $SHIPPED_ENV dotnet src/StorageServer/bin/Release/net10.0/StorageServer.dll --urls "http://127.0.0.1:$p" --data-dir "$work/node$n" >"$work/node$n.log" 2>&1 &
  pids+=($!)
  node_ports+=("$p")
done
for p in "${node_ports[@]}"; do wait_http "http://127.0.0.1:$p/healthz/ready"; done
# s3rver keeps keys as files and removes a directory once its last file is deleted; a concurrent
# upload completing into that directory then fails with ENOENT, which crashes s3rver (an unhandled
# stream error). A placeholder in each node's temporary-key folder keeps the folders from emptying.
for n in 1 2; do curl -sf -X PUT --data-binary keep "http://127.0.0.1:$s3_port/bench/tmp/node$n/.keep" >/dev/null; done

# nginx: the shipped site, one instance per upstream set (only the upstream and listen lines change).
start_nginx() { # name ports...
  local name=$1; shift
  local dir="$work/nginx-$name" listen; listen=$(port)
  mkdir -p "$dir"; chmod 777 "$dir"
  { grep -v '^\s*server 127.0.0.1:' deploy/nginx/storageserver.conf \
      | sed "s/listen 80;/listen 127.0.0.1:$listen;/" \
      | awk -v servers="$(printf '    server 127.0.0.1:%s;\\n' "$@")" '{print} /^upstream storageserver \{/{printf "%s", servers}'; } >"$dir/site.conf"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
error_log $dir/error.log;
pid $dir/nginx.pid;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; include $dir/site.conf; }
CONF
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/out.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$listen/healthz/live"
  nginx_url="http://127.0.0.1:$listen"
}
start_nginx one "${node_ports[0]}"; one=$nginx_url
start_nginx two "${node_ports[@]}"; two=$nginx_url

admin() { curl -sf -H "Authorization: Bearer $STORAGESERVER_ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"; }
admin -d '{"name":"team/bench"}' "http://127.0.0.1:${node_ports[0]}/api/repos" >/dev/null
token=$(admin -d '{"user":"bench","scopes":{"team/bench":"write"}}' "http://127.0.0.1:${node_ports[0]}/api/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')

# One client: uploads its files one after another (batch, PUT with the action's token, verify if asked).
client() { # base dir
  local base=$1 dir=$2 f oid size batch object hrefs auths
  for f in "$dir"/*; do
    oid=$(basename "$f"); size=$(stat -c %s "$f")
    object="{\"oid\":\"$oid\",\"size\":$size}"
    batch=$(curl -sf -u "bench:$token" -H 'Accept: application/vnd.git-lfs+json' -H 'Content-Type: application/vnd.git-lfs+json' \
      -d "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[$object]}" "$base/team/bench.git/info/lfs/objects/batch")
    # actions: upload first, then verify when the answer has one (this server's has not: its PUT
    # already verified the bytes), each with its own transfer token.
    mapfile -t hrefs < <(grep -o '"href":"[^"]*"' <<<"$batch" | sed 's/"href":"//; s/"$//')
    mapfile -t auths < <(grep -o '"Authorization":"[^"]*"' <<<"$batch" | sed 's/"Authorization":"//; s/"$//')
    curl -sf -X PUT -H "Authorization: ${auths[0]}" -H 'Content-Type: application/octet-stream' -T "$f" "${hrefs[0]}" >/dev/null
    [ -z "${hrefs[1]:-}" ] || curl -sf -H "Authorization: ${auths[1]}" -H 'Content-Type: application/vnd.git-lfs+json' -d "$object" "${hrefs[1]}" >/dev/null
  done
}

# Fresh random objects per run (an object already stored is only hashed, not written again).
make_objects() { # count-per-client size-bytes
  rm -rf "$work/objects"; mkdir -p "$work/objects"
  for c in $(seq 1 "$clients"); do
    mkdir -p "$work/objects/$c"
    for _ in $(seq 1 "$1"); do
      head -c "$2" /dev/urandom >"$work/objects/tmp"
      mv "$work/objects/tmp" "$work/objects/$c/$(sha256sum "$work/objects/tmp" | cut -d' ' -f1)"
    done
  done
}

run() { # base count size → prints MiB/s
  make_objects "$2" "$3"
  local start end c running=() failed=0
  start=$(date +%s.%N)
  for c in $(seq 1 "$clients"); do client "$1" "$work/objects/$c" & running+=($!); done
  for c in "${running[@]}"; do wait "$c" || failed=1; done
  end=$(date +%s.%N)
  [ "$failed" -eq 0 ] || { echo "a client failed (see $work/node*.log)" >&2; exit 1; }
  python3 -c "print(f'{$clients * $2 * $3 / 1048576 / ($end - $start):.1f}')"
}

echo "cluster bench: $clients clients, $(nproc) cores, PostgreSQL $(basename "$(dirname "$bin")"), s3rver 3.7.1, nginx in front"
printf '%-28s %12s %12s %8s\n' scenario "one node" "two nodes" ratio
for spec in "16 1048576 1 MiB objects x16/client" "1 67108864 64 MiB object x1/client"; do
  set -- $spec
  best1=0; best2=0
  for _ in 1 2; do
    r1=$(run "$one" "$1" "$2"); r2=$(run "$two" "$1" "$2")
    best1=$(python3 -c "print(max($best1, $r1))"); best2=$(python3 -c "print(max($best2, $r2))")
  done
  printf '%-28s %8s MiB/s %6s MiB/s %8s\n' "$3 $4 $5" "$best1" "$best2" "$(python3 -c "print(f'{$best2 / $best1:.2f}')")"
done
