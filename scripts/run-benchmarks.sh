#!/usr/bin/env bash
# Runs every Google Benchmark program of a build, 5 repetitions each, writes one JSON file per
# program (medians, means and spread) into OUTPUT_DIR, and prints one table of all of them
# (bench/benchmark_table.py).
#
#   bash scripts/run-benchmarks.sh OUTPUT_DIR [BUILD_DIR (default build)] [extra benchmark flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: run-benchmarks.sh OUTPUT_DIR [BUILD_DIR] [flags]}
build=${2:-$root/build}
shift $(($# >= 2 ? 2 : 1))
mkdir -p "$out"
found=0
for program in "$build"/bench/*_bench; do
  [[ -x $program ]] || continue
  found=1
  name=$(basename "$program")
  echo "== $name"
  "$program" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@"
done
((found)) || { echo "no benchmark programs in $build/bench (configure with -DTWEEDIE_BUILD_BENCH=ON)" >&2; exit 1; }
echo
python3 "$root/bench/benchmark_table.py" "$out"/*_bench.json | tee "$out/table.md"
echo "results in $out (table.md: the table above)"
