#!/usr/bin/env bash
# The demo: builds Uptake, starts the collector on SQLite (plain HTTP on loopback), runs the
# C example app as a few installs against it, and shows what the collector stored.
# Env: UPTAKE_DEMO_PORT (default 8080), UPTAKE_DEMO_DIR (default ./demo-data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target uptake-collector uptake_c_example

port="${UPTAKE_DEMO_PORT:-8080}"
dir="${UPTAKE_DEMO_DIR:-$PWD/demo-data}"
mkdir -p "$dir"
build/collector/uptake-collector --listen "127.0.0.1:$port" --db "sqlite:$dir/uptake.db" \
  --app demo:wk_test:rk_demo --admin-key admin_demo 2>"$dir/collector.log" &
collector_pid=$!
trap 'kill -TERM "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$collector_pid" 2>/dev/null || { cat "$dir/collector.log"; exit 1; }
  sleep 0.1
done
echo "collector: http://127.0.0.1:$port (SQLite at $dir/uptake.db, log $dir/collector.log)"

for install in 1 2 3; do
  build/examples/uptake_c_example "http://127.0.0.1:$port" "$dir/install-$install"
done

echo
echo "events stored per name:"
sqlite3 -column -header "$dir/uptake.db" \
  "SELECT name, type, count(*) AS events, count(DISTINCT anon) AS installs FROM events GROUP BY name, type ORDER BY events DESC"
echo
echo "collector metrics:"
curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^uptake_(events|requests)_total'
