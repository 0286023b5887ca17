#!/usr/bin/env bash
# The main job on the bundled real CT sample (4 abdominal slices, 512×512, HU): simulate a
# low-dose parallel-beam scan (I0 = 1e4 photons, 720 views), reconstruct it by FBP, write the
# volume and print its quality against the full-dose image.
#
#   bash scripts/main-job.sh [BUILD_DIR (default build)] [OUTPUT_DIR (default out)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$root/out}
tweedie=$build/apps/tweedie
sample=$root/data/ct/abdomen_siemens_4sl.nii.gz

"$tweedie" info
echo
"$tweedie" geometry --parallel --views 720 --image-size 512 --pixel-spacing 0.9765625 \
  --output "$out/geometry.json"
"$tweedie" simulate --input "$sample" --geometry "$out/geometry.json" --dose 1e4 --seed 1 \
  --output "$out/low_dose_sinogram.mha" --weights "$out/low_dose_weights.mha"
"$tweedie" fbp --sinogram "$out/low_dose_sinogram.mha" --geometry "$out/geometry.json" --filter hann \
  --output "$out/fbp.nii.gz"
echo "Quality of the low-dose FBP reconstruction against the full-dose image:"
"$tweedie" metrics --reference "$sample" --input "$out/fbp.nii.gz"
