#!/usr/bin/env bash
# Bad input: one clear line on stderr, a non-zero exit, and no output left behind.
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"

expect_one_line_error "no such file or folder '$work/missing.nii'" \
  "$tweedie" convert --input "$work/missing.nii" --output "$work/out.mha"
echo "not an image" >"$work/photo.jpg"
expect_one_line_error "unsupported file type '.jpg'" \
  "$tweedie" convert --input "$work/photo.jpg" --output "$work/out.mha"
head -c 1000 "$sample" >"$work/truncated.nii.gz"
expect_one_line_error "truncated" "$tweedie" convert --input "$work/truncated.nii.gz" --output "$work/out.mha"
expect_one_line_error "PNG holds 2D images" "$tweedie" convert --input "$sample" --output "$work/out.png"
expect_one_line_error "do not fit in uint16" \
  "$tweedie" convert --input "$sample" --output "$work/out.png" --slice-count 1
expect_one_line_error "do not exist in a volume of 512×512×4" \
  "$tweedie" convert --input "$sample" --output "$work/out.mha" --first-slice 3 --slice-count 2
"$tweedie" convert --input "$sample" --output "$work/one.mha" --slice-count 1 >/dev/null
expect_one_line_error "has shape 512×512×1, expected 512×512×4" \
  "$tweedie" metrics --reference "$sample" --input "$work/one.mha"
expect_one_line_error "cannot create folder" \
  "$tweedie" convert --input "$sample" --output "$work/one.mha/inside/out.mha"
expect_error "--threads" "$tweedie" --threads -1 info
expect_error "subcommand" "$tweedie" unknown-command
expect_error "--reference is required" "$tweedie" metrics --input "$sample"

# Nothing half-written anywhere: only the inputs made above remain.
leftovers=$(ls -A "$work" | grep -v -e '^photo.jpg$' -e '^truncated.nii.gz$' -e '^one.mha$' \
  -e '^stdout$' -e '^stderr$' || true)
[[ -z $leftovers ]] || fail "left behind: $leftovers"
echo "cli_errors: ok"
