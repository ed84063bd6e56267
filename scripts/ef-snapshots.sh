#!/usr/bin/env bash
# EF Core model snapshots of the two providers (src/StorageServer/Data/Migrations/{Sqlite,Postgres})
# and the compiled models the server runs with (src/StorageServer/Data/CompiledModels/{Sqlite,Postgres}).
#
#   scripts/ef-snapshots.sh           regenerate both snapshots and both compiled models from the current
#                                     model: run it after a hand-written migration (and its model change)
#                                     landed, then commit the two *ModelSnapshot.cs files and CompiledModels/
#   scripts/ef-snapshots.sh --check   fail unless the model, both snapshots and both compiled models agree:
#                                     for each provider `dotnet ef migrations has-pending-model-changes`,
#                                     then the literal `dotnet ef migrations add Probe`, whose Up and Down
#                                     must be empty (the Probe files are removed again, the snapshot left as
#                                     it was), then `dotnet ef dbcontext optimize` into a temporary folder,
#                                     which must equal CompiledModels/<provider> (CompiledModelTests checks
#                                     the same in process)
#
# Uses the dotnet-ef version pinned in .config/dotnet-tools.json (restored here) and the Release build
# of src/StorageServer.DesignTime (built here unless EF_NO_BUILD=1, as the test suite sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-regenerate}
dotnet tool restore >/dev/null
if [ "${EF_NO_BUILD:-0}" != 1 ]; then
  dotnet build src/StorageServer.DesignTime -c Release -nologo -clp:ErrorsOnly >/dev/null
fi

ef() {
  local provider=$1; shift
  dotnet tool run dotnet-ef "$@" --no-build --configuration Release \
    --project src/StorageServer --startup-project src/StorageServer.DesignTime \
    --context "${provider}StorageDbContext"
}

add_migration() {
  local provider=$1 name=$2
  ef "$provider" migrations add "$name" --output-dir "Data/Migrations/$provider" \
    --namespace "StorageServer.Data.Migrations.$provider" >/dev/null
}

# The compiled model of a provider, generated into $2. The assembly attribute is dropped: the server
# names its model in UseModel, and tools and tests building a context themselves keep building it.
optimize() {
  local provider=$1 out=$2
  ef "$provider" dbcontext optimize --output-dir "$out" \
    --namespace "StorageServer.Data.CompiledModels.$provider" >/dev/null
  rm -f "$out/${provider}StorageDbContextAssemblyAttributes.cs"
}

for provider in Sqlite Postgres; do
  compiled="src/StorageServer/Data/CompiledModels/$provider"
  dir="src/StorageServer/Data/Migrations/$provider"
  snapshot="$dir/${provider}StorageDbContextModelSnapshot.cs"
  case "$mode" in
    regenerate)
      # Adding a migration rewrites the snapshot to the current model; the migration itself is not
      # wanted (the schema change is in the hand-written migration), so it is removed again.
      add_migration "$provider" SnapshotRefresh
      rm -f "$dir"/*_SnapshotRefresh.cs "$dir"/*_SnapshotRefresh.Designer.cs
      echo "$provider: $snapshot regenerated"
      rm -rf "$compiled"
      optimize "$provider" "$PWD/$compiled"
      echo "$provider: $compiled regenerated"
      ;;
    --check)
      if ! ef "$provider" migrations has-pending-model-changes >/dev/null; then
        echo "$provider: the model has changes the snapshot lacks; run scripts/ef-snapshots.sh" >&2
        exit 1
      fi
      backup=$(mktemp)
      cp "$snapshot" "$backup"
      add_migration "$provider" Probe
      probe=$(ls "$dir"/*_Probe.cs)
      operations=$(grep -c 'migrationBuilder\.' "$probe" || true)
      rm -f "$dir"/*_Probe.cs "$dir"/*_Probe.Designer.cs
      cp "$backup" "$snapshot"
      rm -f "$backup"
      if [ "$operations" != 0 ]; then
        echo "$provider: migrations add Probe generated $operations operations; run scripts/ef-snapshots.sh" >&2
        exit 1
      fi
      echo "$provider: Probe migration is empty"
      fresh=$(mktemp -d)
      optimize "$provider" "$fresh/generated"
      # Every generation draws a new model id; nothing else may differ.
      cp -r "$compiled" "$fresh/committed"
      sed -i 's/modelId: new Guid("[^"]*")/modelId: new Guid("…")/' "$fresh"/generated/*.cs "$fresh"/committed/*.cs
      if ! diff -r "$fresh/generated" "$fresh/committed" >/dev/null; then
        rm -rf "$fresh"
        echo "$provider: $compiled differs from the model; run scripts/ef-snapshots.sh" >&2
        exit 1
      fi
      rm -rf "$fresh"
      echo "$provider: compiled model is current"
      ;;
    *)
      echo "usage: $0 [--check]" >&2
      exit 2
      ;;
  esac
done
