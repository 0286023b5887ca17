#!/usr/bin/env bash
# The main job on the bundled real CT sample: prints what this build is, converts the sample to a
# DICOM series (the format a scanner delivers) and measures the conversion against the original.
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
"$tweedie" convert --input "$sample" --output "$out/abdomen_dicom"
echo "Quality of $out/abdomen_dicom against the original (a lossless conversion: MSE 0, SSIM 1):"
"$tweedie" metrics --reference "$sample" --input "$out/abdomen_dicom"
