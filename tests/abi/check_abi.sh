#!/usr/bin/env bash
# The ABI check: libuptake.so as built, against the baseline kept in sdk/abi/libuptake.abi.
# Any difference fails, with abidiff's report and what to do (sdk/abi/README.md): a
# compatible addition moves the baseline with scripts/update-abi-baseline.sh; anything else
# must be undone, or the SONAME bumped (UPTAKE_SOVERSION in sdk/CMakeLists.txt) and the
# baseline moved. Usage: check_abi.sh LIBRARY
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
baseline="$root/sdk/abi/libuptake.abi"
suppr="$root/sdk/abi/libuptake.suppr"
lib="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$root/scripts/abi-dump.sh" "$lib" "$tmp/current.abi"
soname() { grep -o -m1 "soname='[^']*'" "$1" | cut -d"'" -f2; }
old="$(soname "$baseline")"
new="$(soname "$tmp/current.abi")"
if [ "$old" != "$new" ]; then
  echo "The SONAME moved ($old -> $new) but the baseline did not: run scripts/update-abi-baseline.sh"
  exit 1
fi

rc=0
abidiff --suppressions "$suppr" "$baseline" "$tmp/current.abi" >"$tmp/report" || rc=$?
if [ "$rc" -eq 0 ]; then
  echo "$new: the exported ABI matches sdk/abi/libuptake.abi"
  exit 0
fi
if (( rc & 3 )); then  # abidiff's own error or usage bits
  cat "$tmp/report"
  echo "abidiff failed ($rc)"
  exit 1
fi
cat "$tmp/report"
echo
if abidiff --no-added-syms --suppressions "$suppr" "$baseline" "$tmp/current.abi" >/dev/null; then
  echo "$new changed compatibly (additions only). Move the baseline on purpose:"
  echo "  scripts/update-abi-baseline.sh   (and bump UPTAKE_ABI_MINOR in sdk/CMakeLists.txt)"
else
  echo "$new changed INCOMPATIBLY (or abidiff cannot tell it is compatible): programs built"
  echo "against the baseline may break. Undo the change, or bump UPTAKE_SOVERSION in"
  echo "sdk/CMakeLists.txt and run scripts/update-abi-baseline.sh (sdk/abi/README.md)."
fi
exit 1
