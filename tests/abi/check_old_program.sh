#!/usr/bin/env bash
# A C program built once against the baseline library keeps running against the new build:
# builds the library of the commit that last moved sdk/abi/libuptake.abi (once per build
# directory, cached), compiles that commit's examples/c_example against it, then runs that
# program on the library just built (LD_LIBRARY_PATH, every symbol bound at start) against
# a receiver on loopback, and checks its events arrived. Skipped (77) outside a git checkout,
# before the first baseline is committed, and when the SONAME moved (old programs keep the old
# library then).
# Usage: check_old_program.sh SOURCE_DIR WORK_DIR NEW_LIBRARY RECEIVER
set -euo pipefail
src="$1" work="$2" newlib="$3" receiver="$4"
skip() { echo "skipped: $*"; exit 77; }

git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout"
commit="$(git -C "$src" log -1 --format=%H -- sdk/abi/libuptake.abi)"
[ -n "$commit" ] || skip "no committed baseline yet"
base="$work/${commit:0:12}"
if [ ! -x "$base/c_example" ]; then
  echo "building the baseline library of $commit (cached in $base)"
  rm -rf "$base"
  mkdir -p "$base"
  git -C "$src" archive "$commit" | tar -x -C "$base"
  # Only its headers and SONAME matter to the old program: built unoptimised, no debug info.
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$base" -B "$base/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG=-O0 -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
    -DUPTAKE_BUILD_COLLECTOR=OFF -DUPTAKE_BUILD_EXAMPLES=OFF -DUPTAKE_BUILD_TESTS=OFF \
    -DUPTAKE_BUILD_BENCHMARKS=OFF -DUPTAKE_SANITIZER= >"$base/configure.log"
  cmake --build "$base/build" -j2 >"$base/build.log"
  cmake --install "$base/build" --prefix "$base/prefix" --component Unspecified >/dev/null
  # A plain C program of that time, linked by SONAME, without an rpath.
  cc -std=c11 -I"$base/prefix/include" "$base/examples/c_example/main.c" \
    -L"$base/prefix/lib" -luptake -o "$base/c_example.tmp"
  mv "$base/c_example.tmp" "$base/c_example"
fi

soname() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'; }
old="$(soname "$base/prefix/lib/libuptake.so")"
new="$(soname "$newlib")"
[ "$old" = "$new" ] || skip "the SONAME moved from $old to $new: programs built for $old keep it"

libdir="$(cd "$(dirname "$newlib")" && pwd)"
loaded="$(LD_LIBRARY_PATH="$libdir" LD_TRACE_LOADED_OBJECTS=1 "$base/c_example" | grep "$new" || true)"
case "$loaded" in
  *"=> $libdir/$new "*) ;;
  *) echo "the old program does not load the new library: $loaded"; exit 1 ;;
esac

tmp="$(mktemp -d)"
receiver_pid=""
cleanup() {
  [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null && wait "$receiver_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
"$receiver" >"$tmp/receiver.out" &
receiver_pid=$!
endpoint=""
for _ in $(seq 100); do
  endpoint="$(sed -n 's/^listening on //p' "$tmp/receiver.out")"
  [ -n "$endpoint" ] && break
  sleep 0.1
done
[ -n "$endpoint" ] || { echo "the receiver did not start"; exit 1; }

rc=0
LD_LIBRARY_PATH="$libdir" LD_BIND_NOW=1 "$base/c_example" "$endpoint" "$tmp/data" || rc=$?
[ "$rc" -eq 0 ] || { echo "the program built against $commit failed on the new library ($rc)"; exit 1; }
for _ in $(seq 50); do  # the receiver prints what it stored every 100 ms
  [ "$(grep -c '"name":"c_feature"' "$tmp/receiver.out")" -ge 3 ] && break
  sleep 0.1
done
count="$(grep -c '"name":"c_feature"' "$tmp/receiver.out" || true)"
[ "$count" -eq 3 ] || { echo "expected 3 c_feature events, the receiver stored $count"; exit 1; }
echo "the C example built against ${commit:0:12} ($old) ran on the new build and delivered its events"
