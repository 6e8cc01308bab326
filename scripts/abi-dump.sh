#!/usr/bin/env bash
# Writes the ABI of libuptake.so as libabigail XML, the way sdk/abi/libuptake.abi is kept:
# exported interfaces only, sdk/abi/libuptake.suppr applied, no source locations or build
# paths, so the same library gives the same file on any machine. Needs debug info (-g).
# Usage: scripts/abi-dump.sh LIBRARY OUTPUT
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 LIBRARY OUTPUT" >&2; exit 2; }
abidw --exported-interfaces-only --suppressions "$root/sdk/abi/libuptake.suppr" \
  --no-corpus-path --no-comp-dir-path --no-show-locs --no-parameter-names \
  --type-id-style hash "$1" |
  # Translation units are named by their path: keep it relative to the source tree.
  sed -E "s#path='[^']*/((sdk|plugins|common)/[^']*)'#path='\\1'#" >"$2"
