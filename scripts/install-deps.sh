#!/usr/bin/env bash
# Installs the Debian packages Uptake builds and tests with. Idempotent and quiet when
# everything is already present. Usage: scripts/install-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build ccache pkg-config git openssl curl
  libboost1.81-dev libboost-json1.81-dev libssl-dev libzstd-dev zstd zlib1g-dev
  libsimdjson-dev libxxhash-dev libsqlite3-dev sqlite3 libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev chromium clickhouse-server clickhouse-client
  abigail-tools python3 python3-pytest)

missing=()
# Node.js may come from elsewhere (it does on our machines); only install Debian's if absent.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The dashboard's browser test drives Debian's Chromium with playwright-core from npm.
if [ -f tests/dashboard/package-lock.json ] && [ ! -d tests/dashboard/node_modules/playwright-core ]; then
  (cd tests/dashboard && npm ci --no-audit --no-fund --silent)
fi
