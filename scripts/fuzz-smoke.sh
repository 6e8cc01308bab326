#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for a short while on
# its seed corpus. Called by scripts/test.sh; FUZZ_SECONDS sets the time per target.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang++ >/dev/null || { echo "fuzz-smoke: clang++ not found"; exit 1; }
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DUPTAKE_BUILD_FUZZERS=ON -DUPTAKE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz --target fuzz_ingest fuzz_spool fuzz_event_block fuzz_request_target fuzz_remote_config fuzz_state_file
seconds="${FUZZ_SECONDS:-10}"
for target in fuzz_ingest fuzz_spool fuzz_event_block fuzz_request_target fuzz_remote_config fuzz_state_file; do
  work="$(mktemp -d)"
  cp tests/fuzz/corpus/* "$work/"
  echo "fuzz-smoke: $target for ${seconds}s"
  if ! (cd "$work" && "$OLDPWD/build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -print_final_stats=1 . > fuzz.log 2>&1); then
    tail -40 "$work/fuzz.log"
    echo "fuzz-smoke: $target FAILED (crash input kept in $work)"
    exit 1
  fi
  grep -E "^stat::number_of_executed_units" "$work/fuzz.log" || true
  rm -rf "$work"
done
