#!/usr/bin/env bash
# The demo: builds Uptake, starts the collector on SQLite (plain HTTP on loopback), gives it
# the notes app's tips, plays a simulated population through the notes app (the real SDK and
# plugins on a simulated clock), and shows what the collector stored.
# Env: UPTAKE_DEMO_PORT (default 8080), UPTAKE_DEMO_DIR (default ./demo-data),
#      UPTAKE_DEMO_USERS (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target uptake-collector uptake-simulate uptake-notes

port="${UPTAKE_DEMO_PORT:-8080}"
dir="${UPTAKE_DEMO_DIR:-$PWD/demo-data}"
mkdir -p "$dir"
rm -f "$dir"/uptake.db*
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

curl -fsS -X PUT -H "Authorization: Bearer admin_demo" --data-binary @examples/notes/tips.json \
  "http://127.0.0.1:$port/v1/config?app=demo" >/dev/null
build/examples/uptake-simulate --endpoint "http://127.0.0.1:$port" --write-key wk_test \
  --users "${UPTAKE_DEMO_USERS:-200}" --days 28 --seed 7 --data "$dir/simulated-installs"

report() { build/collector/uptake-collector report "$@" --db "sqlite:$dir/uptake.db" --app demo; }
echo
report overview; echo
report features; echo
report first-action; echo
report stickiness | head -8 || true; echo
report funnel --feature search; echo
report tips; echo
report accounts; echo
# The champions of the account that needs attention most (the accounts report's first row).
weakest="$(report accounts --format csv | sed -n 2p | cut -d, -f1)"
if [ -n "$weakest" ]; then
  echo "Champions of the least healthy account, $weakest:"
  report champions --account "$weakest" --limit 5; echo
fi
report retention; echo
report releases; echo
report surveys; echo
if [ -n "$weakest" ]; then
  echo "Satisfaction in $weakest:"
  report surveys --account "$weakest"; echo
fi
# The last month that has sign-ups (the current one may have just begun).
for back in 0 1 2; do
  month="$(date -u -d "$(date -u +%Y-%m-15) -$back month" +%Y-%m)"
  if report product-adoption --month "$month" --format csv | sed -n 2p | cut -d, -f2 | grep -qv '^0$'; then
    report product-adoption --month "$month"; echo
    break
  fi
done

echo "Dashboard: http://127.0.0.1:$port/  (read key: rk_demo)"
echo "JSON API:  curl -H 'Authorization: Bearer rk_demo' http://127.0.0.1:$port/v1/reports/features"
echo "Try the app yourself (tips included):"
echo "  build/examples/uptake-notes --endpoint http://127.0.0.1:$port --data $dir/my-notes"
if [ -t 0 ]; then
  echo "The collector keeps running; press Ctrl-C to stop it."
  wait "$collector_pid"
else
  echo "(no terminal: stopping the collector; run from a terminal to keep it up)"
fi
