# Shared helpers of the command-line tests. Source it after setting `tweedie` to the binary.
set -euo pipefail

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Skips the test (ctest exit code 77) when a path under ../shared/data is absent.
require_shared_data() {
  if [[ ! -e $1 ]]; then
    echo "SKIP: shared data '$1' is absent"
    exit 77
  fi
}

# expect_error SUBSTRING COMMAND...: the command fails, printing SUBSTRING on stderr.
expect_error() {
  local expected=$1
  shift
  local status=0
  "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
  ((status != 0)) || fail "expected '$*' to fail"
  grep -qF -- "$expected" "$work/stderr" || fail "'$*' printed '$(cat "$work/stderr")', not '$expected'"
}

# expect_one_line_error SUBSTRING COMMAND...: as expect_error, and the message is one line.
expect_one_line_error() {
  expect_error "$@"
  (($(wc -l <"$work/stderr") == 1)) || fail "'${*:2}' printed more than one line: $(cat "$work/stderr")"
}

# json_number FILE KEY: the number (or null) stored under KEY in a flat JSON object.
json_number() {
  sed -n "s/^ *\"$2\": \([^,]*\),\{0,1\}$/\1/p" "$1"
}

# expect_close ACTUAL EXPECTED TOLERANCE: |actual - expected| <= tolerance.
expect_close() {
  awk -v a="$1" -v e="$2" -v t="$3" 'BEGIN { d = a - e; if (d < 0) d = -d; exit !(d <= t) }' ||
    fail "$1 is not within $3 of $2"
}
