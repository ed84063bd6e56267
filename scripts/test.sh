#!/usr/bin/env bash
# Runs every test suite on a fresh machine: installs what the tests need when it is missing
# (git-lfs, nginx, curl, man-db, python3-yaml, chromium, the PostgreSQL server binaries, node + npm, and under .tools/
# the s3rver S3 test server and the azurite Azure Blob test server), builds in Release, runs all
# test projects with TRX results and ends with one line "N passed, N failed". Exits non-zero on any failure or when no test ran.
#
# PostgreSQL: the tests start their own throwaway cluster (initdb into a temp dir, as the
# postgres user when run as root; see tests/StorageServer.TestSupport/PostgresServer.cs),
# so plain `dotnet test` works too. Set STORAGESERVER_TEST_POSTGRES to a superuser connection
# string (Host=…;Port=…;Username=postgres) to use an existing server instead.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

install_apt_packages() {
  local missing=()
  command -v git-lfs >/dev/null 2>&1 || missing+=(git-lfs)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # `git storage --help` goes through git to man (the client's help test).
  command -v man >/dev/null 2>&1 || missing+=(man-db)
  if [ -z "${STORAGESERVER_TEST_POSTGRES:-}" ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
    && ! command -v initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  # The deploy manifest tests read compose.yaml and the Kubernetes manifests with PyYAML.
  python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  # The console's browser tests drive Debian's chromium through Playwright (never `playwright install`).
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The S3 store tests run against a real s3rver; install it once under .tools/ (ignored by git).
# The tests find it there (or at $S3RVER_JS) and fail with this command in the message if it is missing.
install_s3rver() {
  local dir=.tools/s3rver
  if ! grep -qs '"version": "3.7.1"' "$dir/node_modules/s3rver/package.json"; then
    log "installing s3rver@3.7.1 into $dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
  fi
}

# The Azure Blob store tests run against a real azurite (blob service only), installed the same way.
install_azurite() {
  local dir=.tools/azurite
  if ! grep -qs '"version": "3.37.0"' "$dir/node_modules/azurite/package.json"; then
    log "installing azurite@3.37.0 into $dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent azurite@3.37.0 >/dev/null
  fi
}

install_apt_packages
install_s3rver
install_azurite
# dotnet-ef (pinned in .config/dotnet-tools.json): EfSnapshotTests run `dotnet ef migrations add Probe`.
dotnet tool restore >/dev/null

results="$PWD/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

log "building"
dotnet build StorageServer.sln -c Release -nologo -clp:ErrorsOnly

log "testing"
status=0
# Each project gets its own results folder, so no two TRX files can collide; the projects run
# in parallel (the end-to-end ones mostly wait on git and the network). Test projects are named
# *.Tests; tests/StorageServer.TestSupport is the helper library they share and holds no tests.
pids=()
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --blame-hang --blame-hang-timeout 8m \
    --results-directory "$results/$name" &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || status=$?
done

passed=0; failed=0; total=0
for trx in "$results"/*/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done

if [ "$total" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "${passed} passed, ${failed} failed"
if [ "$failed" -gt 0 ]; then
  status=1
fi
exit "$status"
