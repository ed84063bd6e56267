# shellcheck shell=bash
# Sourced by every bench that starts StorageServer. SHIPPED_ENV holds the runtime settings the
# deployments ship (the DOTNET_ lines of deploy/systemd/storageserver.env, the GC's gen0 size among
# them) as words for `env`; the server is started as `env $SHIPPED_ENV dotnet …`, so a bench measures
# the shipped server and cannot drift from it. Baselines are started without them.
SHIPPED_ENV=$(grep -E '^DOTNET_[A-Za-z0-9_]+=' "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/deploy/systemd/storageserver.env" | tr '\n' ' ')
