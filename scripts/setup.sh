#!/usr/bin/env bash
# Installs what bqsim needs from Debian's packages (only what is missing), then builds it.
#   scripts/setup.sh            install + build
#   scripts/setup.sh --test     install + build + run every test (this is what CI runs)
# Idempotent and quiet when everything is present. Needs root or sudo to install packages.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake make g++ pkg-config git libsimgrid-dev nlohmann-json3-dev catch2 libcli11-dev
          python3 python3-matplotlib python3-numpy python3-scipy python3-tqdm time
          sqlite3 python3-pandas parallel slurm-wlm munge)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
if ! cmake --build build -j "$jobs" >build/build.log 2>&1; then
  tail -n 40 build/build.log >&2
  echo "error: build failed (full log: build/build.log)" >&2
  exit 1
fi

if [ "${1:-}" = "--test" ]; then
  ctest --test-dir build --output-on-failure -j "$jobs"
fi
