#!/usr/bin/env bash
# tweedie study end to end on bench/studies/quick.json: a run's outputs; a run killed with SIGKILL
# and started again ends with the same results.csv bytes as an uninterrupted one (and on one
# thread); compare of two equal runs finds no difference; study table gives each method's means; a spec with a misspelt key, or
# another spec into the same folder, is refused.
tweedie=$1
source_dir=$2
source "$(dirname "$0")/cli_lib.sh"
spec=$source_dir/bench/studies/quick.json

"$tweedie" study run "$spec" --output "$work/one" >"$work/one.txt"
for f in results.csv timings.csv report.html manifest.json spec.json; do
  [[ -s $work/one/$f ]] || fail "no $f in the study folder"
done
rows=$(($(wc -l <"$work/one/results.csv") - 1))
((rows == $(ls "$work/one/cases" | wc -l))) || fail "results.csv has $rows rows, not one per case record"
grep -q '<svg' "$work/one/report.html" || fail "the report has no convergence plot"
grep -q 'data:image/png;base64' "$work/one/report.html" || fail "the report has no image panels"
grep -q "$(sha256sum "$spec" | cut -c1-64)" "$work/one/manifest.json" || fail "the manifest lacks the spec's SHA-256"

# Killed after a few cases (one thread, so that it is still running), then resumed.
"$tweedie" --threads 1 study run "$spec" --output "$work/killed" >/dev/null &
pid=$!
for _ in $(seq 600); do
  (($(ls "$work/killed/cases" 2>/dev/null | wc -l) >= 4)) && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || fail "the run ended before it could be killed"
wait "$pid" 2>/dev/null || true
[[ ! -e $work/killed/results.csv ]] || fail "a killed run left a results.csv"
"$tweedie" study run "$spec" --output "$work/killed" >"$work/resumed.txt"
grep -q "cases ([1-9][0-9]* recorded before)" "$work/resumed.txt" || fail "the rerun did not resume: $(tail -1 "$work/resumed.txt")"
cmp "$work/one/results.csv" "$work/killed/results.csv" || fail "a resumed run's results.csv differs from an uninterrupted one's"

"$tweedie" study compare "$work/one" "$work/killed" >"$work/compare.txt"
grep -q "+0.000 \[+0.000, +0.000\]" "$work/compare.txt" || fail "compare of equal runs: $(cat "$work/compare.txt")"
! grep -q "\] \*" "$work/compare.txt" || fail "compare of equal runs found a difference: $(cat "$work/compare.txt")"

# Copies of the spec elsewhere, with the sample's path made absolute.
# study table (without seconds: the same columns less one): each method's mean over its cases, as results.csv holds them.
"$tweedie" study table "$work/one" >"$work/table.md"
expected=$(awk -F, '$4 == "ct" && $5 == "pnp-hqs" { s += $8; n++ } END { printf "%.2f", s / n }' "$work/one/results.csv")
grep -q "^| pnp-hqs (prior=ct) | 4 | $expected |" "$work/table.md" || fail "study table: $(cat "$work/table.md"), not mean PSNR $expected"
"$tweedie" study table "$work/one" --no-seconds >"$work/quality.md"
(($(head -3 "$work/quality.md" | tail -1 | tr -cd '|' | wc -c) + 1 == $(head -3 "$work/table.md" | tail -1 | tr -cd '|' | wc -c))) ||
  fail "study table --no-seconds: $(head -3 "$work/quality.md")"

sed 's#"\.\./\.\./data#"'"$source_dir"'/data#; s/"views"/"veiws"/' "$spec" >"$work/typo.json"
expect_one_line_error 'problems[0] has an unknown key "veiws"' "$tweedie" study run "$work/typo.json" --output "$work/typo"
sed 's/"views": 180/"views": 90/; s#"\.\./\.\./data#"'"$source_dir"'/data#' "$spec" >"$work/other.json"
expect_one_line_error "holds a study of another spec" "$tweedie" study run "$work/other.json" --output "$work/one"
echo "cli_study: ok"
