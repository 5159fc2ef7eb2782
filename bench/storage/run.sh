#!/usr/bin/env bash
# Runs the same Go SDK workload against Azurite 3.37.0 and `funcemu storage`
# on this machine and prints both, the ratios and each server's peak RSS.
# Azurite is installed from npm into a scratch folder (SCRATCH, default
# $TMPDIR/funcemu-bench-storage) the first time. Extra arguments go to the
# driver, e.g. -messages 5000 -markdown.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=${SCRATCH:-${TMPDIR:-/tmp}/funcemu-bench-storage}
mkdir -p "$scratch"
if [ ! -f "$scratch/node_modules/azurite/dist/src/azurite.js" ]; then
  echo "installing azurite@3.37.0 into $scratch ..." >&2
  (cd "$scratch" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install azurite@3.37.0 >/dev/null)
fi
(cd "$root" && go build -o "$scratch/funcemu" . && go build -o "$scratch/storagebench" ./bench/storage)
exec "$scratch/storagebench" \
  -azurite "$scratch/node_modules/azurite/dist/src/azurite.js" \
  -funcemu "$scratch/funcemu" \
  -work "$scratch" "$@"
