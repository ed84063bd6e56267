#!/usr/bin/env bash
# Throughput of S3ObjectStore.PutAsync vs the AWS SDK's TransferUtility, one 1 GiB file, against a
# local s3rver. By hand only (not part of scripts/test.sh). Usage: bench/s3/run.sh [size-MiB] [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mib=${1:-1024}
runs=${2:-2}
tools=.tools/s3rver
[ -f "$tools/node_modules/s3rver/bin/s3rver.js" ] || npm install --prefix "$tools" --no-audit --no-fund --silent s3rver@3.7.1
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node "$tools/node_modules/s3rver/bin/s3rver.js" --directory "$work/s3" --port "$port" --address 127.0.0.1 --silent --configure-bucket bench &
s3rver=$!
trap 'kill $s3rver 2>/dev/null; rm -rf "$work"' EXIT
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/blob"
dotnet build bench/s3/S3Bench -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "s3rver 3.7.1 on 127.0.0.1:$port, ${size_mib} MiB file, $(nproc) cores"
dotnet bench/s3/S3Bench/bin/Release/net10.0/S3Bench.dll "http://127.0.0.1:$port" bench "$work/blob" "$runs"
