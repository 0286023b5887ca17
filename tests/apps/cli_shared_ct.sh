#!/usr/bin/env bash
# Real CT from ../shared/data: a NIfTI volume to a DICOM series and back keeps HU and spacing.
tweedie=$1
shared=$2
source "$(dirname "$0")/cli_lib.sh"
volume=$shared/ct/train/totalseg_cardiac_cta_crop_1p5mm.nii.gz
require_shared_data "$volume"

"$tweedie" convert --input "$volume" --output "$work/dicom" | grep -q "120×126×164 voxels of 1.5×1.5×1.5 mm" ||
  fail "unexpected size or spacing"
"$tweedie" convert --input "$work/dicom" --output "$work/back.nii" | grep -q "120×126×164 voxels of 1.5×1.5×1.5 mm" ||
  fail "size or spacing changed through DICOM"
"$tweedie" metrics --reference "$volume" --input "$work/back.nii" >"$work/m.json"
[[ $(json_number "$work/m.json" mse) == 0.0 ]] || fail "HU changed through DICOM: $(cat "$work/m.json")"
echo "cli_shared_ct: ok"
