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
# Usage errors: one readable line naming the option and its bound, exit status 1.
expect_usage_error() {
  local status=0
  "${@:2}" >"$work/stdout" 2>"$work/stderr" || status=$?
  ((status == 1)) || fail "'${*:2}' exited $status, not 1"
  [[ $(cat "$work/stderr") == "tweedie: error: $1" ]] || fail "'${*:2}' printed '$(cat "$work/stderr")', not 'tweedie: error: $1'"
}
expect_usage_error "--views must be at least 1, got 0" "$tweedie" geometry --views 0 --output "$work/g.json"
expect_usage_error "--dose must be positive, got -5" "$tweedie" simulate --dose -5 --input "$sample" --geometry g.json --output "$work/s.mha"
expect_usage_error "--threads must be at least 0, got -1" "$tweedie" --threads -1 info
expect_usage_error "--iterations must be a number, got 'many'" "$tweedie" restore --input x.png --operator blur --iterations many --output "$work/r.png"
expect_one_line_error "subcommand" "$tweedie" unknown-command
expect_one_line_error "--reference is required" "$tweedie" metrics --input "$sample"
expect_one_line_error "--units hux not in {hu,attenuation}" "$tweedie" fbp --sinogram s.mha --geometry g.json --units hux --output "$work/f.mha"
# Measured scans: frames that do not fit the projections, a missing input, an angle list with a typo,
# an axis sought in a scan without opposite views.
"$tweedie" degrade --input "$work/one.mha" --operator decimate --output "$work/half.mha" >/dev/null
expect_one_line_error "the flat frames are 256×256, the projections 512×512" \
  "$tweedie" normalize --projections "$sample" --flats "$work/half.mha" --darks "$work/one.mha" --output "$work/n.mha"
rm "$work/half.mha"
expect_one_line_error "give --projections with --flats and --darks, or --intensities" \
  "$tweedie" normalize --output "$work/n.mha"
printf '0\n1.5\n3,0\n' >"$work/angles.txt"
expect_one_line_error "entry 3 ('3,0') is not an angle in degrees" \
  "$tweedie" geometry --angles "$work/angles.txt" --output "$work/g.json"
rm "$work/angles.txt"
"$tweedie" geometry --views 4 --arc 90 --detectors 512 --image-size 64 --output "$work/g90.json" >/dev/null
"$tweedie" convert --input "$work/one.mha" --output "$work/s90.mha" --slice-count 1 >/dev/null
expect_one_line_error "has 512 detector bins × 512 views, but the geometry has 512 × 4" \
  "$tweedie" geometry --views 4 --arc 90 --detectors 512 --image-size 64 --axis-from "$work/s90.mha" --output "$work/g.json"
rm "$work/g90.json" "$work/s90.mha"

# Nothing half-written anywhere: only the inputs made above remain.
leftovers=$(ls -A "$work" | grep -v -e '^photo.jpg$' -e '^truncated.nii.gz$' -e '^one.mha$' \
  -e '^stdout$' -e '^stderr$' || true)
[[ -z $leftovers ]] || fail "left behind: $leftovers"
echo "cli_errors: ok"
