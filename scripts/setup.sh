#!/usr/bin/env bash
# Installs what bqsim needs from Debian's packages (only what is missing), then builds it.
#   scripts/setup.sh            install + build
#   scripts/setup.sh --test     install + build + run every test (this is what CI runs):
#                               the normal build's tests, then the same tests built with
#                               AddressSanitizer and UndefinedBehaviorSanitizer (build-asan),
#                               then a bounded run of the libFuzzer targets (build-fuzz, clang)
# Idempotent and quiet when everything is present. Needs root or sudo to install packages.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake make g++ pkg-config git libsimgrid-dev nlohmann-json3-dev catch2 libcli11-dev
          python3 python3-matplotlib python3-numpy python3-scipy python3-tqdm time
          sqlite3 python3-pandas parallel slurm-wlm munge
          python3-jsonschema clang libclang-rt-14-dev)

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

# Builds one configuration into DIR, quietly; the log's tail on failure.
build_in() {
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" "$@" >/dev/null
  fi
  if ! cmake --build "$dir" -j "$jobs" ${BUILD_TARGETS:+--target $BUILD_TARGETS} \
      >"$dir/build.log" 2>&1; then
    tail -n 40 "$dir/build.log" >&2
    echo "error: build failed (full log: $dir/build.log)" >&2
    exit 1
  fi
}

if [ "${1:-}" = "--test" ]; then
  stage() { echo "setup: $* ($(date +%T))"; }
  stage "tests of the normal build"
  ctest --test-dir build --output-on-failure -j "$jobs"

  stage "tests built with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan)"
  build_in build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBQSIM_SANITIZE=ON
  # detect_stack_use_after_return=0: SimGrid switches actor stacks by hand; ASan's fake
  # stacks would be torn between contexts. Leaks are reported (detect_leaks defaults on).
  ASAN_OPTIONS=detect_stack_use_after_return=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

  stage "bounded fuzzing (build-fuzz, clang)"
  CXX=clang++ BUILD_TARGETS="fuzz_scenario fuzz_checker" \
    build_in build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBQSIM_FUZZ=ON -DBUILD_TESTING=OFF
  mkdir -p build-fuzz/corpus/scenario build-fuzz/corpus/checker
  rm -f build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* build-fuzz/oom-*
  # New inputs go to the first directory; the shipped scenarios and bad inputs are seeds.
  build-fuzz/fuzz_scenario -max_total_time=40 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix=build-fuzz/ build-fuzz/corpus/scenario scenarios tests/bad_inputs 2>&1 \
    | grep -E '^(stat::number_of_executed_units|SUMMARY)|ERROR' || true
  build-fuzz/fuzz_checker -max_total_time=20 -print_final_stats=1 \
    -artifact_prefix=build-fuzz/ build-fuzz/corpus/checker 2>&1 \
    | grep -E '^(stat::number_of_executed_units|SUMMARY)|ERROR' || true
  found=$(find build-fuzz -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
           -o -name 'oom-*' \) | head -n 1)
  if [ -n "$found" ]; then
    echo "error: fuzzing found an input that fails: $found (a regression test, then a fix)" >&2
    exit 1
  fi
  stage "done"
fi
