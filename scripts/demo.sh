#!/usr/bin/env bash
# The demo: builds Uptake, starts a receiver on loopback, runs the C example app against it
# and shows the events that arrived.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target uptake_test_receiver uptake_c_example

demo_dir="$(mktemp -d)"
trap 'kill "$receiver_pid" 2>/dev/null || true; rm -rf "$demo_dir"' EXIT
build/tests/uptake_test_receiver > "$demo_dir/receiver.log" &
receiver_pid=$!
for _ in $(seq 50); do grep -q listening "$demo_dir/receiver.log" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^listening on //p' "$demo_dir/receiver.log")
echo "receiver: $endpoint"
build/examples/uptake_c_example "$endpoint" "$demo_dir/app"
sleep 0.3
echo "events the receiver stored:"
tail -n +2 "$demo_dir/receiver.log"
