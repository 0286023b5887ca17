#!/usr/bin/env bash
# NIfTI → DICOM series → MetaImage → NIfTI keeps every voxel; metrics see the round trip as exact,
# and see a changed slice as an error of the expected size.
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"

"$tweedie" convert --input "$sample" --output "$work/dicom" >/dev/null
(($(ls "$work/dicom" | wc -l) == 4)) || fail "expected 4 DICOM files"
"$tweedie" convert --input "$work/dicom" --output "$work/volume.mha" >/dev/null
"$tweedie" convert --input "$work/volume.mha" --output "$work/back.nii.gz" >/dev/null
"$tweedie" metrics --reference "$sample" --input "$work/back.nii.gz" >"$work/exact.json"
[[ $(json_number "$work/exact.json" mse) == 0.0 ]] || fail "round trip changed voxels: $(cat "$work/exact.json")"
[[ $(json_number "$work/exact.json" psnr) == null ]] || fail "identical images need an infinite (null) PSNR"

# One slice against its neighbour: a real, finite difference.
"$tweedie" convert --input "$sample" --output "$work/s1.mha" --first-slice 1 --slice-count 1 >/dev/null
"$tweedie" convert --input "$sample" --output "$work/s2.mha" --first-slice 2 --slice-count 1 >/dev/null
"$tweedie" metrics --reference "$work/s1.mha" --input "$work/s2.mha" --data-range 2000 >"$work/diff.json"
mse=$(json_number "$work/diff.json" mse)
psnr=$(json_number "$work/diff.json" psnr)
expect_close "$psnr" "$(awk -v m="$mse" 'BEGIN { printf "%.17g", 10 * log(2000 * 2000 / m) / log(10) }')" 1e-9
awk -v s="$(json_number "$work/diff.json" ssim)" 'BEGIN { exit !(s > 0 && s < 1) }' || fail "SSIM out of (0, 1)"
echo "cli_convert_metrics: ok"
