#!/usr/bin/env bash
# Tweedie under the sanitizers and the fuzzer:
#   address  clang build with AddressSanitizer + UndefinedBehaviorSanitizer (and libFuzzer coverage):
#            the fast test suite, then each fuzz target over its seed corpus (a smoke run)
#   thread   ThreadSanitizer build: the threaded suites (threading, projector, convolutions, SURE,
#            reconstruction over slices), run against a ThreadSanitizer build of Debian's own oneTBB
#            source (without it TSan cannot see oneTBB's synchronisation and reports every loop)
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

# Debian 12's oneTBB source, built with ThreadSanitizer into $root/onetbb-tsan (once).
onetbb_version=2021.8.0
onetbb_url=http://deb.debian.org/debian/pool/main/o/onetbb/onetbb_$onetbb_version.orig.tar.xz
onetbb_sha256=7e9111b8bb59c8800bf6d0b06afe7b0891937443d2dae1ee1101c8e2ede6a7ef
build_thread_sanitized_onetbb() {
  local prefix=$root/onetbb-tsan work=$root/onetbb-tsan-build
  [[ -f $prefix/lib/libtbb.so.12 ]] && return
  local installed
  installed=$(dpkg-query -W -f='${Version}' libtbb-dev)
  [[ $installed == "$onetbb_version"* ]] || { echo "sanitize: libtbb-dev is $installed, this script builds $onetbb_version" >&2; exit 1; }
  mkdir -p "$work"
  curl -fsSL "$onetbb_url" -o "$work/onetbb.tar.xz"
  echo "$onetbb_sha256  $work/onetbb.tar.xz" | sha256sum -c --quiet
  tar -xf "$work/onetbb.tar.xz" -C "$work"
  cmake -S "$work/oneTBB-$onetbb_version" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
    -DTBB_TEST=OFF -DTBB_STRICT=OFF -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
  cmake --build "$work/build" -j "$jobs" >/dev/null
  cmake --install "$work/build" >/dev/null
}

case $mode in
  address)
    configure_and_build "$root/address" clang clang++ -DTWEEDIE_SANITIZE_ADDRESS=ON -DTWEEDIE_SANITIZE_UNDEFINED=ON -DTWEEDIE_FUZZ=ON
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir "$root/address" -LE slow --output-on-failure -j "$jobs"
    ;;
  thread)
    build_thread_sanitized_onetbb
    configure_and_build "$root/thread" gcc g++ -DTWEEDIE_SANITIZE_THREAD=ON
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    export LD_LIBRARY_PATH=$root/onetbb-tsan/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    # Run directly, not by ctest: under ThreadSanitizer they take far longer than ctest's time limits.
    for suite in core operators priors pipelines; do
      echo "test_$suite under ThreadSanitizer"
      "$root/thread/tests/$suite/test_$suite" --report_level=short --run_test='!@slow'
    done
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
          -max_len=8192 -timeout=30 -artifact_prefix="$root/crashes/$name-" -print_final_stats=1 > "$root/fuzz-$name.log" 2>&1; then
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
