#!/usr/bin/env bash
# Runs every row of funcemu's performance budget and prints one table
# (row, measured, comparison, ratio, budget, met) with the machine, the Go
# version, the date and the load before and after. Azurite, for the storage
# rows, is installed from npm into a scratch folder (SCRATCH, default
# $TMPDIR/funcemu-bench) the first time, as bench/storage/run.sh does.
# Arguments go to the runner: -quick runs every row briefly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${SCRATCH:-${TMPDIR:-/tmp}/funcemu-bench}
mkdir -p "$scratch"
if [ ! -f "$scratch/node_modules/azurite/dist/src/azurite.js" ]; then
  echo "installing azurite@3.37.0 into $scratch ..." >&2
  (cd "$scratch" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install azurite@3.37.0 >/dev/null)
fi
(cd "$root" && go build -o "$scratch/funcemu" . && go build -o "$scratch/storagebench" ./bench/storage &&
  go build -o "$scratch/budget" ./bench/budget)
exec "$scratch/budget" -root "$root" -work "$scratch" \
  -azurite "$scratch/node_modules/azurite/dist/src/azurite.js" \
  -funcemu "$scratch/funcemu" -storagebench "$scratch/storagebench" "$@"
