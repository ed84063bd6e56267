#!/usr/bin/env bash
# LibGit2Sharp 0.32.0 (in process) vs the git CLI (the server's PointerScanner: rev-list | diff-tree |
# cat-file) building the pointer index of a generated history, both in one run, best of ROUNDS.
# By hand only (not part of scripts/test.sh). Usage: bench/libgit2/run.sh [commits] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
commits=${1:-20000}
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git init -q --bare "$work/repo.git"
python3 bench/libgit2/generate.py "$commits" | git -C "$work/repo.git" fast-import --quiet
git -C "$work/repo.git" gc -q
dotnet build bench/libgit2/PointerIndexBench -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "$(git --version), $(nproc) cores, repository $(du -sh "$work/repo.git" | cut -f1) packed"
dotnet bench/libgit2/PointerIndexBench/bin/Release/net10.0/PointerIndexBench.dll "$work/repo.git" "$rounds"
