#!/usr/bin/env bash
# tweedie sure and denoise --sigma sure end to end on a slice of the bundled sample (HU, halved):
# noise of a known level added by degrade, found again by the estimator, SURE's choice of the TV
# strength written as a curve whose least value is the choice, and bad levels refused.
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"

"$tweedie" convert --input "$sample" --output "$work/full.mha" --first-slice 2 --slice-count 1 >/dev/null
"$tweedie" degrade --input "$work/full.mha" --operator decimate --factor 2 --output "$work/slice.mha" >/dev/null  # 256², quicker
"$tweedie" degrade --input "$work/slice.mha" --operator none --noise-sigma 40 --seed 3 --output "$work/noisy.mha" >/dev/null
"$tweedie" sure --input "$work/noisy.mha" --model tv --curve "$work/curve.csv" >"$work/out.txt"
estimated=$(sed -n 's/^noise σ \([0-9.]*\) (estimated).*/\1/p' "$work/out.txt")
chosen=$(sed -n 's/.*SURE chooses σ \([0-9.e+-]*\).*/\1/p' "$work/out.txt")
awk -v e="$estimated" 'BEGIN { exit !(e > 36 && e < 44) }' || fail "noise estimate '$estimated' is not within 10% of 40"
[[ $(head -1 "$work/curve.csv") == "sigma,sure" ]] || fail "the curve has no header"
least=$(tail -n +2 "$work/curve.csv" | sort -t, -k2 -g | head -1 | cut -d, -f1)
awk -v a="$least" -v b="$chosen" 'BEGIN { exit !(a == b) }' || fail "the curve's least SURE is at $least, the choice $chosen"

"$tweedie" denoise --input "$work/noisy.mha" --prior tv --sigma sure --noise-sigma 40 --output "$work/denoised.mha" >"$work/d.txt"
grep -q "SURE chooses σ" "$work/d.txt" || fail "denoise did not report the SURE choice"
error_before=$("$tweedie" metrics --reference "$work/slice.mha" --input "$work/noisy.mha" | sed -n 's/.*"mse": \([0-9.e+-]*\).*/\1/p')
error_after=$("$tweedie" metrics --reference "$work/slice.mha" --input "$work/denoised.mha" | sed -n 's/.*"mse": \([0-9.e+-]*\).*/\1/p')
awk -v a="$error_after" -v b="$error_before" 'BEGIN { exit !(a < 0.5 * b) }' || fail "SURE-tuned TV did not halve the MSE ($error_before → $error_after)"

expect_one_line_error "--sigma must be a positive number or 'sure'" \
  "$tweedie" denoise --input "$work/noisy.mha" --prior tv --sigma -3 --output "$work/bad.mha"
expect_one_line_error "--noise-sigma must be a positive number or 'auto'" \
  "$tweedie" sure --input "$work/noisy.mha" --model tv --noise-sigma loud
[[ ! -e $work/bad.mha ]] || fail "a failed command left an output"
echo "cli_sure: ok"
