#!/usr/bin/env bash
# The three measured scans of the shared data folder (docs/ct.md, "Measured scans"): flat/dark
# correction and the rotation axis from each scan (the inputs of bench/studies/measured.json, written
# to out/measured), then the study, which judges FBP and recon's default by their held-out views,
# and its table.
#
#   bash scripts/measured-scans.sh [BUILD_DIR (default build)] [SHARED_DATA (default ../shared/data)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
data=${2:-$root/../shared/data}/sinograms
out=$root/out/measured
tweedie=$build/apps/tweedie
[[ -d $data ]] || { echo "measured-scans: no measured sinograms at $data" >&2; exit 1; }
mkdir -p "$out"

# Tooth (APS): raw frames with flats and darks, 181 views over 0…179°, 640 bins; the study uses row 0.
"$tweedie" normalize --projections "$data/aps_tooth/tooth_projections_raw.mha" --flats "$data/aps_tooth/tooth_flats_raw.mha" \
  --darks "$data/aps_tooth/tooth_darks_raw.mha" --output "$out/tooth_rows.mha" --weights "$out/tooth_rows_weights.mha"
tooth=(--parallel --angles "$data/aps_tooth/tooth_angles_deg.txt" --detectors 640 --detector-spacing 1 --image-size 512 --pixel-spacing 1)
"$tweedie" geometry "${tooth[@]}" --axis-from "$out/tooth_rows.mha" --output "$out/tooth.json"
"$tweedie" geometry "${tooth[@]}" --output "$out/tooth_centre.json"

# I13 (Diamond): raw frames, one flat and one dark, 91 views over 182°, 160 bins, truncated: a grid
# wider than the detector; the study uses row 67.
"$tweedie" normalize --projections "$data/diamond_i13/i13_projections_raw.mha" --flats "$data/diamond_i13/i13_flat.mha" \
  --darks "$data/diamond_i13/i13_dark.mha" --output "$out/i13_rows.mha" --weights "$out/i13_rows_weights.mha"
i13=(--parallel --angles "$data/diamond_i13/i13_angles_deg.txt" --detectors 160 --detector-spacing 1 --pixel-spacing 1 --axis-from "$out/i13_rows.mha")
"$tweedie" geometry "${i13[@]}" --image-size 224 --output "$out/i13.json"
"$tweedie" geometry "${i13[@]}" --image-size 160 --output "$out/i13_detector_grid.json"

# Neutron (sarepy): intensities with air at the edges, 459 views, 503 bins, without angles: the
# first and last views agree, so 0…360° in 458 steps (the last view repeats the first).
"$tweedie" normalize --intensities "$data/neutron_sarepy/neutron_sinogram_360_intensity.mha" \
  --output "$out/neutron.mha" --weights "$out/neutron_weights.mha"
awk 'BEGIN { for (k = 0; k < 459; ++k) printf "%.10g\n", 360 * k / 458 }' >"$out/neutron_angles.txt"
neutron=(--parallel --detectors 503 --detector-spacing 1 --image-size 512 --pixel-spacing 1 --axis-from "$out/neutron.mha")
"$tweedie" geometry "${neutron[@]}" --angles "$out/neutron_angles.txt" --output "$out/neutron.json"
"$tweedie" geometry "${neutron[@]}" --views 459 --arc 360 --output "$out/neutron_459_steps.json"

"$tweedie" study run "$root/bench/studies/measured.json" --output "$out/study"
"$tweedie" study table "$out/study" --wide
