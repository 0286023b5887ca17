#!/usr/bin/env bash
# The three measured scans of the shared data folder (docs/ct.md, "Measured scans"): flat/dark
# correction, the rotation axis from the scan, and recon's default judged by --check-views against
# FBP. Prints each scan's check line.
#
#   bash scripts/measured-scans.sh [BUILD_DIR (default build)] [SHARED_DATA (default ../shared/data)] [OUTPUT_DIR (default out/measured)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
data=${2:-$root/../shared/data}/sinograms
out=${3:-$root/out/measured}
tweedie=$build/apps/tweedie
[[ -d $data ]] || { echo "measured-scans: no measured sinograms at $data" >&2; exit 1; }
mkdir -p "$out"

check() {  # NAME SINOGRAM WEIGHTS GEOMETRY
  echo "$1: $("$tweedie" recon --sinogram "$2" --weights "$3" --geometry "$4" --units attenuation --check-views \
    --output "$out/$1.mha" --preview "$out/$1.png" | grep '^held-out views')"
}

# Tooth (APS): raw frames with flats and darks, 181 views over 0…179°; row 0.
"$tweedie" normalize --projections "$data/aps_tooth/tooth_projections_raw.mha" --flats "$data/aps_tooth/tooth_flats_raw.mha" \
  --darks "$data/aps_tooth/tooth_darks_raw.mha" --output "$out/tooth_rows.mha" --weights "$out/tooth_rows_weights.mha"
for f in tooth_rows tooth_rows_weights; do
  "$tweedie" convert --input "$out/$f.mha" --output "$out/${f/rows/row0}.mha" --slice-count 1 >/dev/null
done
"$tweedie" geometry --parallel --angles "$data/aps_tooth/tooth_angles_deg.txt" --detectors 640 --detector-spacing 1 \
  --image-size 512 --pixel-spacing 1 --axis-from "$out/tooth_rows.mha" --output "$out/tooth.json"
check tooth "$out/tooth_row0.mha" "$out/tooth_row0_weights.mha" "$out/tooth.json"

# I13 (Diamond): raw frames, one flat and one dark, 91 views over 182°, truncated: a grid wider
# than the detector; row 67.
"$tweedie" normalize --projections "$data/diamond_i13/i13_projections_raw.mha" --flats "$data/diamond_i13/i13_flat.mha" \
  --darks "$data/diamond_i13/i13_dark.mha" --output "$out/i13_rows.mha" --weights "$out/i13_rows_weights.mha"
for f in i13_rows i13_rows_weights; do
  "$tweedie" convert --input "$out/$f.mha" --output "$out/${f/rows/row67}.mha" --first-slice 67 --slice-count 1 >/dev/null
done
"$tweedie" geometry --parallel --angles "$data/diamond_i13/i13_angles_deg.txt" --detectors 160 --detector-spacing 1 \
  --image-size 224 --pixel-spacing 1 --axis-from "$out/i13_rows.mha" --output "$out/i13.json"
check i13 "$out/i13_row67.mha" "$out/i13_row67_weights.mha" "$out/i13.json"

# Neutron (sarepy): intensities with air at the edges, 459 views over 0…360° (the last repeats the first).
"$tweedie" normalize --intensities "$data/neutron_sarepy/neutron_sinogram_360_intensity.mha" \
  --output "$out/neutron.mha" --weights "$out/neutron_weights.mha"
awk 'BEGIN { for (k = 0; k < 459; ++k) printf "%.10g\n", 360 * k / 458 }' >"$out/neutron_angles.txt"
"$tweedie" geometry --parallel --angles "$out/neutron_angles.txt" --detectors 503 --detector-spacing 1 \
  --image-size 512 --pixel-spacing 1 --axis-from "$out/neutron.mha" --output "$out/neutron.json"
check neutron "$out/neutron.mha" "$out/neutron_weights.mha" "$out/neutron.json"
