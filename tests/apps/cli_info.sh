#!/usr/bin/env bash
# tweedie info reports the build, the libraries and the thread count it was given.
tweedie=$1
source "$(dirname "$0")/cli_lib.sh"

"$tweedie" info >"$work/info"
for field in version "git revision" compiler "compile flags" Eigen oneTBB ITK FFTW CLI11 threads; do
  grep -q "^$field " "$work/info" || fail "info lacks '$field'"
done
"$tweedie" --threads 1 info --json >"$work/info.json"
grep -q '"threads": "1 of' "$work/info.json" || fail "--threads 1 not reported: $(cat "$work/info.json")"
"$tweedie" info --threads 1 | grep -q "^threads *1 of" || fail "--threads after the subcommand ignored"
echo "cli_info: ok"
