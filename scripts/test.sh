#!/usr/bin/env bash
# The test command: installs what it needs, builds everything, runs every test.
# UPTAKE_SANITIZER=address|thread runs the suite under ASan+UBSan or TSan in its own build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

sanitizer="${UPTAKE_SANITIZER:-}"
build="build${sanitizer:+-$sanitizer}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUPTAKE_SANITIZER="$sanitizer" >/dev/null
cmake --build "$build"
# Real libFuzzer runs (clang), in the plain configuration only; before ctest, so ctest's
# summary is the last thing printed.
[ -n "$sanitizer" ] || scripts/fuzz-smoke.sh
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300
