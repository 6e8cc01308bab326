#!/usr/bin/env bash
# Moves the ABI baseline (sdk/abi/libuptake.abi) to the library as built, on purpose, after
# checking the move is allowed (sdk/abi/README.md):
#   - no change: nothing to do;
#   - additions only: compatible; the baseline moves (bump UPTAKE_ABI_MINOR too);
#   - anything else: only with a new SONAME (bump UPTAKE_SOVERSION in sdk/CMakeLists.txt
#     first), or with --compatible once you have read abidiff's report and know the change
#     cannot break a program built against the old library.
# Commit sdk/abi/libuptake.abi together with the change that moved it.
# Usage: scripts/update-abi-baseline.sh [--compatible] [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
compatible=0
if [ "${1:-}" = "--compatible" ]; then
  compatible=1
  shift
fi
build="${1:-$root/build}"
baseline="$root/sdk/abi/libuptake.abi"
suppr="$root/sdk/abi/libuptake.suppr"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cmake --build "$build" --target uptake_shared >/dev/null
lib="$build/sdk/libuptake.so"
"$root/scripts/abi-dump.sh" "$lib" "$tmp/new.abi"
soname() { grep -o -m1 "soname='[^']*'" "$1" | cut -d"'" -f2; }
new="$(soname "$tmp/new.abi")"

if [ ! -f "$baseline" ]; then
  cp "$tmp/new.abi" "$baseline"
  echo "wrote the first baseline for $new"
  exit 0
fi
old="$(soname "$baseline")"
if [ "$old" != "$new" ]; then
  cp "$tmp/new.abi" "$baseline"
  echo "SONAME moved $old -> $new: the baseline now describes $new."
  echo "Commit sdk/abi/libuptake.abi with the change (and say what broke in the release notes)."
  exit 0
fi

rc=0
abidiff --suppressions "$suppr" "$baseline" "$tmp/new.abi" >"$tmp/report" || rc=$?
if [ "$rc" -eq 0 ]; then
  echo "$new: the baseline is up to date"
  exit 0
fi
(( rc & 3 )) && { cat "$tmp/report"; echo "abidiff failed ($rc)"; exit 1; }
cat "$tmp/report"
echo
if abidiff --no-added-syms --suppressions "$suppr" "$baseline" "$tmp/new.abi" >/dev/null; then
  cp "$tmp/new.abi" "$baseline"
  echo "Compatible additions: the baseline moved. Bump UPTAKE_ABI_MINOR in sdk/CMakeLists.txt"
  echo "if this release has not yet, and commit sdk/abi/libuptake.abi with the change."
elif [ "$compatible" -eq 1 ]; then
  cp "$tmp/new.abi" "$baseline"
  echo "Moved on your word (--compatible) that the change above is compatible; say why in the"
  echo "commit that carries sdk/abi/libuptake.abi."
else
  echo "Refused: the change above may break programs built against $old. Undo it, or bump"
  echo "UPTAKE_SOVERSION in sdk/CMakeLists.txt, rebuild and run this again (or pass"
  echo "--compatible if you have checked that it cannot break them)."
  exit 1
fi
