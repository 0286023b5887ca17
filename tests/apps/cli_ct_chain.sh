#!/usr/bin/env bash
# geometry → simulate → fbp → metrics on a real CT slice, in HU: noiseless FBP is close to the
# original, low dose costs quality, the same seed repeats the noise exactly; and the CT errors.
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"
cd "$work"

"$tweedie" convert --input "$sample" --output slices.mha --first-slice 1 --slice-count 2 >/dev/null
"$tweedie" geometry --parallel --views 360 --image-size 512 --pixel-spacing 0.9765625 --output par.json >/dev/null
"$tweedie" geometry --fan --views 720 --image-size 512 --pixel-spacing 0.9765625 --output fan.json >/dev/null

for beam in par fan; do
  "$tweedie" simulate --input slices.mha --geometry $beam.json --output clean_$beam.mha >/dev/null
  "$tweedie" fbp --sinogram clean_$beam.mha --geometry $beam.json --output fbp_$beam.mha >/dev/null
  "$tweedie" metrics --reference slices.mha --input fbp_$beam.mha --data-range 2000 >m_$beam.json
  awk -v p="$(json_number m_$beam.json psnr)" 'BEGIN { exit !(p > 35) }' || fail "$beam FBP PSNR too low: $(cat m_$beam.json)"
done

"$tweedie" simulate --input slices.mha --geometry par.json --dose 1e4 --seed 5 --output low.mha --weights w.mha \
  >/dev/null 2>simulate.err
grep -q "slice 2/2 done" simulate.err || fail "simulate gave no progress per slice: $(cat simulate.err)"
"$tweedie" simulate --input slices.mha --geometry par.json --dose 1e4 --seed 5 --output again.mha >/dev/null
cmp -s low.mha again.mha || fail "the same seed gave a different sinogram"
"$tweedie" fbp --sinogram low.mha --geometry par.json --filter hann --output fbp_low.mha >/dev/null
"$tweedie" metrics --reference slices.mha --input fbp_low.mha --data-range 2000 >m_low.json
awk -v low="$(json_number m_low.json psnr)" -v clean="$(json_number m_par.json psnr)" \
  'BEGIN { exit !(low < clean && low > 20) }' || fail "low-dose FBP PSNR implausible: $(cat m_low.json)"
[[ -s w.mha ]] || fail "no weights written"

# A volume is projected slice by slice: its second slice is the projection of that slice alone.
"$tweedie" convert --input slices.mha --output second.mha --first-slice 1 --slice-count 1 >/dev/null
"$tweedie" simulate --input second.mha --geometry par.json --output clean_second.mha >/dev/null
"$tweedie" convert --input clean_par.mha --output clean_par_second.mha --first-slice 1 --slice-count 1 >/dev/null
"$tweedie" metrics --reference clean_second.mha --input clean_par_second.mha --data-range 1 >m_second.json
awk -v e="$(json_number m_second.json mse)" 'BEGIN { exit !(e == 0) }' ||
  fail "a volume's slice differs from the slice projected alone: $(cat m_second.json)"

# The adjoint runs from the command line too and gives an image on the grid.
"$tweedie" backproject --sinogram clean_par.mha --geometry par.json --output bp.mha | grep -q "512×512×2" ||
  fail "backproject shape"

expect_one_line_error "the sinogram has 777 detector bins × 720 views, but the geometry has" \
  "$tweedie" fbp --sinogram clean_fan.mha --geometry par.json --output x.mha
expect_one_line_error "unknown FBP filter 'butterworth'" \
  "$tweedie" fbp --sinogram clean_par.mha --geometry par.json --filter butterworth --output x.mha
"$tweedie" geometry --parallel --image-size 256 --pixel-spacing 1 --output small.json >/dev/null
expect_one_line_error "but the geometry expects 256×256 pixels of 1 mm" \
  "$tweedie" simulate --input slices.mha --geometry small.json --output x.mha
echo '{"format": "tweedie-ct-geometry", "version": 1, "beam": "cone"}' >cone.json
expect_one_line_error "beam must be parallel or fan" "$tweedie" project --input slices.mha --geometry cone.json --output x.mha
expect_error "--dose" "$tweedie" simulate --input slices.mha --geometry par.json --dose -3 --output x.mha
[[ ! -e x.mha ]] || fail "a failed command left its output"
echo "cli_ct_chain: ok"
