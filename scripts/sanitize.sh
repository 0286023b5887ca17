#!/usr/bin/env bash
# Tweedie under the sanitizers and the fuzzer:
#   address  clang build with AddressSanitizer + UndefinedBehaviorSanitizer (and libFuzzer coverage):
#            the fast test suite, then each fuzz target over its seed corpus (a smoke run)
#   thread   ThreadSanitizer build: the threaded suites (threading, projector, convolutions, SURE,
#            reconstruction over slices)
#   fuzz     the address build's fuzz targets (or those named in FUZZ_TARGETS, e.g. "geometry recipe"),
#            each for FUZZ_SECONDS (default 1800), new inputs kept in build-sanitize/corpus/NAME,
#            crashes in build-sanitize/crashes
# Usage: bash scripts/sanitize.sh address|thread|fuzz [BUILD_ROOT]   (default BUILD_ROOT build-sanitize)
set -euo pipefail
mode=${1:?address, thread or fuzz}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
root=${2:-$source_dir/build-sanitize}
jobs=$(nproc)

configure_and_build() {  # FOLDER C_COMPILER CXX_COMPILER CMAKE_OPTIONS...
  local folder=$1 c_compiler=$2 cxx_compiler=$3
  shift 3
  CC=$c_compiler CXX=$cxx_compiler cmake -S "$source_dir" -B "$folder" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTWEEDIE_BUILD_BENCH=OFF -DTWEEDIE_MPI=OFF "$@" >/dev/null
  cmake --build "$folder" -j "$jobs"
}

case $mode in
  address)
    configure_and_build "$root/address" clang clang++ -DTWEEDIE_SANITIZE_ADDRESS=ON -DTWEEDIE_SANITIZE_UNDEFINED=ON -DTWEEDIE_FUZZ=ON
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir "$root/address" -LE slow --output-on-failure -j "$jobs"
    ;;
  thread)
    configure_and_build "$root/thread" gcc g++ -DTWEEDIE_SANITIZE_THREAD=ON
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    ctest --test-dir "$root/thread" -R '^test_(core|operators|priors|pipelines)$' --output-on-failure
    ;;
  fuzz)
    [[ -d $root/address ]] || configure_and_build "$root/address" clang clang++ -DTWEEDIE_SANITIZE_ADDRESS=ON -DTWEEDIE_SANITIZE_UNDEFINED=ON -DTWEEDIE_FUZZ=ON
    mkdir -p "$root/crashes"
    targets=${FUZZ_TARGETS:-$(cd "$root/address/tests/fuzz" && ls fuzz_* | sed 's/^fuzz_//')}
    failed=""
    for name in $targets; do
      target=$root/address/tests/fuzz/fuzz_$name
      mkdir -p "$root/corpus/$name"
      echo "fuzzing $name for ${FUZZ_SECONDS:-1800} s"
      # TWEEDIE_MEMORY_LIMIT: as in the smoke tests (tests/fuzz/CMakeLists.txt), below libFuzzer's RSS limit.
      if ! TWEEDIE_MEMORY_LIMIT=268435456 ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$source_dir/tests/fuzz/lsan.supp "$target" \
          "$root/corpus/$name" "$source_dir/tests/fuzz/corpus/$name" -max_total_time="${FUZZ_SECONDS:-1800}" \
          -max_len=8192 -artifact_prefix="$root/crashes/$name-" -print_final_stats=1 > "$root/fuzz-$name.log" 2>&1; then
        failed+=" $name"
      fi
      tail -12 "$root/fuzz-$name.log"
    done
    if [[ -n $failed ]]; then
      echo "fuzz targets that failed:$failed (inputs in $root/crashes)" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: bash scripts/sanitize.sh address|thread|fuzz [BUILD_ROOT]" >&2
    exit 2
    ;;
esac
