#!/usr/bin/env bash
# tweedie restore end to end on a generated picture: each problem with a baseline and a PnP
# solver, the prior level chosen by SURE, the history and the posterior spread written, and bad
# requests refused.
tweedie=$1
source "$(dirname "$0")/cli_lib.sh"

# A 48×48 float picture (MetaImage, 0–255): a bright disc on a ramp.
{
  printf 'ObjectType = Image\nNDims = 2\nDimSize = 48 48\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'
  awk 'BEGIN { for (y = 0; y < 48; y++) for (x = 0; x < 48; x++) {
    v = ((x - 20) ^ 2 + (y - 26) ^ 2 < 144) ? 190 : 60 + 2 * y; printf "%c", v } }'
} >"$work/clean.mha"
{
  printf 'ObjectType = Image\nNDims = 2\nDimSize = 48 48\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'
  awk 'BEGIN { srand(4); for (k = 0; k < 48 * 48; k++) printf "%c", (rand() < 0.5) ? 1 : 0 }'
} >"$work/mask.mha"

# Inpainting half the pixels of the (noise-free) picture: the solvers must beat their start (the
# missing pixels at the measured mean), which `restore` reports with a reference.
for solver in pnp-hqs tv-pdhg; do
  "$tweedie" restore --input "$work/clean.mha" --operator mask --mask "$work/mask.mha" --solver "$solver" --prior tv \
    --reference "$work/clean.mha" --history "$work/history.json" --output "$work/filled.mha" >"$work/out.txt"
  sed -n 's/.*PSNR \([0-9.]*\) dB (start) → \([0-9.]*\) dB.*/\1 \2/p' "$work/out.txt" |
    awk '{ exit !($2 > $1 + 3) }' || fail "$solver did not inpaint: $(cat "$work/out.txt")"
  grep -q '"psnr"' "$work/history.json" || fail "no PSNR in the history"
done
# degrade makes the measurement restore inverts: blurred and noisy, same seed same bits, the mask
# drawn with the requested fraction.
"$tweedie" degrade --input "$work/clean.mha" --operator blur --blur-sigma 1.2 --noise-sigma 2 --seed 5 \
  --output "$work/blurred.mha" >/dev/null
"$tweedie" degrade --input "$work/clean.mha" --operator blur --blur-sigma 1.2 --noise-sigma 2 --seed 5 \
  --output "$work/blurred_again.mha" >/dev/null
cmp -s "$work/blurred.mha" "$work/blurred_again.mha" || fail "degrade is not reproducible under a fixed seed"
"$tweedie" restore --input "$work/blurred.mha" --operator blur --blur-sigma 1.2 --noise-sigma 2 --solver pnp-admm \
  --prior tv --reference "$work/clean.mha" --output "$work/deblurred.png" >"$work/out.txt"
sed -n 's/.*PSNR \([0-9.]*\) dB (start) → \([0-9.]*\) dB.*/\1 \2/p' "$work/out.txt" |
  awk '{ exit !($2 > $1 + 1) }' || fail "pnp-admm did not deblur: $(cat "$work/out.txt")"
# RED's gradient form: 4× the schedule's 8 iterations by default, named in the summary and the
# effective configuration, and still deblurring.
"$tweedie" restore --input "$work/blurred.mha" --operator blur --blur-sigma 1.2 --noise-sigma 2 --solver red \
  --red-form gradient --prior tv --reference "$work/clean.mha" --output "$work/red.mha" >"$work/out.txt"
grep -q ": 32 iterations" "$work/out.txt" && grep -q "gradient form" "$work/out.txt" ||
  fail "red --red-form gradient did not run its 32 iterations: $(cat "$work/out.txt")"
sed -n 's/.*PSNR \([0-9.]*\) dB (start) → \([0-9.]*\) dB.*/\1 \2/p' "$work/out.txt" |
  awk '{ exit !($2 > $1 + 1) }' || fail "red's gradient form did not deblur: $(cat "$work/out.txt")"
grep -q '"red-form": "gradient"' "$work/red.mha.config.json" || fail "the configuration does not record the RED form"
expect_error "newton not in" \
  "$tweedie" restore --input "$work/blurred.mha" --operator blur --solver red --red-form newton --output "$work/bad.mha"
# --prior-sigma sure: the last prior level chosen without the reference, reported, and no worse than
# a quarter of the default level (the search's lower end) by more than a little.
"$tweedie" restore --input "$work/blurred.mha" --operator blur --blur-sigma 1.2 --noise-sigma 2 --prior tv \
  --prior-sigma sure --reference "$work/clean.mha" --output "$work/sure.mha" >"$work/sure.txt"
grep -q "SURE chooses the prior level σ" "$work/sure.txt" || fail "no SURE choice reported: $(cat "$work/sure.txt")"
"$tweedie" restore --input "$work/blurred.mha" --operator blur --blur-sigma 1.2 --noise-sigma 2 --prior tv \
  --sigma-last 0.5 --reference "$work/clean.mha" --output "$work/weak.mha" >"$work/weak.txt"
sure_psnr=$(sed -n 's/.*→ \([0-9.]*\) dB.*/\1/p' "$work/sure.txt")
weak_psnr=$(sed -n 's/.*→ \([0-9.]*\) dB.*/\1/p' "$work/weak.txt")
awk -v a="$sure_psnr" -v b="$weak_psnr" 'BEGIN { exit !(a > b + 0.1) }' ||
  fail "the SURE-chosen level ($sure_psnr dB) is not better than a too-weak prior ($weak_psnr dB)"
expect_one_line_error "'tv-pdhg' has none" \
  "$tweedie" restore --input "$work/blurred.mha" --operator blur --solver tv-pdhg --prior-sigma sure --output "$work/bad.mha"
expect_one_line_error "give it or ask SURE, not both" \
  "$tweedie" restore --input "$work/blurred.mha" --operator blur --prior-sigma sure --sigma-last 3 --output "$work/bad.mha"
"$tweedie" degrade --input "$work/clean.mha" --operator mask --missing 0.3 --mask "$work/drawn.mha" --seed 2 \
  --output "$work/masked.mha" >/dev/null
"$tweedie" metrics --reference "$work/clean.mha" --input "$work/drawn.mha" >/dev/null  # same grid
"$tweedie" degrade --input "$work/clean.mha" --operator decimate --factor 4 --output "$work/small.mha" | grep -q "12×12" ||
  fail "decimate by 4 did not give 12×12"
"$tweedie" restore --input "$work/clean.mha" --operator decimate --factor 2 --solver pnp-fista --prior tv --ensemble --iterations 3 \
  --output "$work/large.mha" >/dev/null
"$tweedie" restore --input "$work/clean.mha" --operator mask --mask "$work/mask.mha" --solver langevin --prior tv \
  --iterations 6 --samples 3 --std "$work/std.mha" --output "$work/sampled.mha" >/dev/null
[[ -s $work/std.mha && -s $work/deblurred.png && -s $work/large.mha ]] || fail "missing outputs"

expect_one_line_error "step scale must be in (0, 1]" \
  "$tweedie" restore --input "$work/clean.mha" --operator blur --solver langevin --prior tv --step-scale 1.5 --output "$work/bad.mha"
expect_one_line_error "unknown solver 'newton'" \
  "$tweedie" restore --input "$work/clean.mha" --operator blur --solver newton --output "$work/bad.mha"
expect_one_line_error "needs --mask" \
  "$tweedie" restore --input "$work/clean.mha" --operator mask --output "$work/bad.mha"
expect_one_line_error "--missing goes with --operator mask" \
  "$tweedie" degrade --input "$work/clean.mha" --operator blur --missing 0.5 --output "$work/bad.mha"
expect_one_line_error "--operator warp not in {blur,decimate,mask,none}" \
  "$tweedie" restore --input "$work/clean.mha" --operator warp --output "$work/bad.mha"
[[ ! -e $work/bad.mha ]] || fail "a failed command left an output"
echo "cli_restore: ok"
