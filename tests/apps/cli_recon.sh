#!/usr/bin/env bash
# tweedie recon end to end: a sparse-view low-dose scan of the bundled sample reconstructed by TV
# and by PnP, both beating their FBP start, PnP's prior level also chosen by SURE; a two-slice
# stack reconstructed slice by slice with progress, each slice as if alone; its configuration file
# repeats it; wrong models and shapes refused.
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"

"$tweedie" convert --input "$sample" --output "$work/slice.nii.gz" --slice-count 1 >/dev/null
"$tweedie" geometry --parallel --views 60 --image-size 512 --pixel-spacing 0.9765625 --output "$work/g.json" >/dev/null
"$tweedie" simulate --input "$work/slice.nii.gz" --geometry "$work/g.json" --dose 1e5 --seed 3 \
  --output "$work/sino.mha" --weights "$work/w.mha" >/dev/null

gain() {  # the PSNR gain over the start that recon printed
  sed -n 's/.*PSNR \([0-9.]*\) dB (fbp) → \([0-9.]*\) dB.*/\1 \2/p' "$1" | awk '{ print $2 - $1 }'
}
"$tweedie" recon --sinogram "$work/sino.mha" --weights "$work/w.mha" --geometry "$work/g.json" --solver tv-pdhg \
  --iterations 60 --reference "$work/slice.nii.gz" --history "$work/h.json" --output "$work/tv.nii.gz" >"$work/tv.txt"
awk -v g="$(gain "$work/tv.txt")" 'BEGIN { exit !(g > 3) }' || fail "TV did not beat FBP: $(cat "$work/tv.txt")"
"$tweedie" recon --sinogram "$work/sino.mha" --weights "$work/w.mha" --geometry "$work/g.json" --solver pnp-hqs \
  --prior tv --iterations 4 --reference "$work/slice.nii.gz" --preview "$work/p.png" --window 350,50 \
  --output "$work/pnp.nii.gz" >"$work/pnp.txt"
awk -v g="$(gain "$work/pnp.txt")" 'BEGIN { exit !(g > 2) }' || fail "PnP did not beat FBP: $(cat "$work/pnp.txt")"
"$tweedie" metrics --reference "$work/slice.nii.gz" --input "$work/tv.nii.gz" >/dev/null  # HU, same grid
# --prior-sigma sure on CT: the last level chosen by the image-domain risk, without the reference,
# no worse than a weaker level (15 HU) nor the default (26 HU at this dose): 28.28 and 28.44 dB,
# SURE's choice (61 HU) 28.82.
"$tweedie" recon --sinogram "$work/sino.mha" --weights "$work/w.mha" --geometry "$work/g.json" --solver pnp-hqs \
  --prior tv --iterations 4 --prior-sigma sure --reference "$work/slice.nii.gz" --output "$work/sure.nii.gz" >"$work/sure.txt"
grep -q "by the image-domain risk" "$work/sure.txt" || fail "no image-domain SURE choice reported: $(cat "$work/sure.txt")"
"$tweedie" recon --sinogram "$work/sino.mha" --weights "$work/w.mha" --geometry "$work/g.json" --solver pnp-hqs \
  --prior tv --iterations 4 --sigma-last 15 --reference "$work/slice.nii.gz" --output "$work/weak.nii.gz" >"$work/weak.txt"
quality() { sed -n 's/.*→ \([0-9.]*\) dB.*/\1/p' "$1"; }
awk -v s="$(quality "$work/sure.txt")" -v w="$(quality "$work/weak.txt")" -v d="$(quality "$work/pnp.txt")" \
  'BEGIN { exit !(s > w - 0.02 && s > d - 0.02) }' ||
  fail "SURE's level ($(quality "$work/sure.txt") dB) is below the weakest ($(quality "$work/weak.txt")) or the default ($(quality "$work/pnp.txt"))"
# The preview: FBP | PnP | reference | difference, 512² each with 4-pixel gaps, under a 22-pixel caption strip.
"$tweedie" convert --input "$work/p.png" --output "$work/p.mha" >/dev/null
grep -q "DimSize = 2060 534" "$work/p.mha" || fail "the preview is not four captioned 512² panels: $(grep DimSize "$work/p.mha")"
expect_one_line_error "--window must be WIDTH,LEVEL" \
  "$tweedie" recon --sinogram "$work/sino.mha" --geometry "$work/g.json" --solver fbp --preview "$work/bad.png" \
  --window 400 --output "$work/bad.nii.gz"

# Dense views: the data step takes 8 preconditioned CG steps at every dose (the preconditioner
# carries the weights), 20 with sparse views; --cg-iterations overrides them.
"$tweedie" geometry --parallel --views 720 --image-size 512 --pixel-spacing 0.9765625 --output "$work/dense.json" >/dev/null
for dose in 1e4 5e4; do
  "$tweedie" simulate --input "$work/slice.nii.gz" --geometry "$work/dense.json" --dose "$dose" --seed 3 \
    --output "$work/dense$dose.mha" --weights "$work/dense$dose.w.mha" >/dev/null
done
cg_steps() {  # dose, extra flags: the CG steps recon reports
  local dose=$1
  shift
  "$tweedie" recon --sinogram "$work/dense$dose.mha" --weights "$work/dense$dose.w.mha" --geometry "$work/dense.json" \
    --prior tv --iterations 1 "$@" --output "$work/dense.recon.mha" | sed -n 's/^data step: \([0-9]*\) .*/\1/p'
}
[[ $(cg_steps 1e4) == 8 ]] || fail "expected 8 CG steps at I0 = 1e4, got '$(cg_steps 1e4)'"
[[ $(cg_steps 5e4) == 8 ]] || fail "expected 8 CG steps at I0 = 5e4, got '$(cg_steps 5e4)'"
[[ $(cg_steps 5e4 --cg-iterations 7) == 7 ]] || fail "--cg-iterations 7 not used"
[[ $(cg_steps 1e4 --solver pnp-admm) == 8 ]] || fail "expected 8 CG steps for PnP-ADMM at I0 = 1e4"
[[ -z $(cg_steps 1e4 --solver pnp-pgd) ]] || fail "PnP-PGD reported CG steps it does not take"

# A stack: progress on stderr, the history per slice, and its second slice the same bits
# as the reconstruction of that slice alone.
"$tweedie" convert --input "$sample" --output "$work/pair.nii.gz" --slice-count 2 >/dev/null
"$tweedie" convert --input "$sample" --output "$work/second.nii.gz" --first-slice 1 --slice-count 1 >/dev/null
for name in pair second; do
  "$tweedie" simulate --input "$work/$name.nii.gz" --geometry "$work/g.json" --output "$work/$name.sino.mha" >/dev/null
  "$tweedie" recon --sinogram "$work/$name.sino.mha" --geometry "$work/g.json" --prior tv --iterations 2 \
    --history "$work/$name.json" --output "$work/$name.recon.mha" >"$work/$name.txt" 2>"$work/$name.err"
done
# The two are solved side by side: a slice's worth of their iterations is reported before both end.
grep -q "slice 1/2 done" "$work/pair.err" && grep -q "slice 2/2 done" "$work/pair.err" ||
  fail "no progress per slice: $(cat "$work/pair.err")"
grep -q "2 slices × 2 iterations" "$work/pair.txt" || fail "no stack summary: $(cat "$work/pair.txt")"
grep -q '"slices"' "$work/pair.json" || fail "no history per slice"
# DICOM in and out: the stack's sinogram reconstructed from a DICOM copy of its reference into a
# DICOM series (a folder) reads back as the MetaImage result rounded to whole HU.
"$tweedie" convert --input "$work/pair.nii.gz" --output "$work/pair_dicom" >/dev/null
"$tweedie" recon --sinogram "$work/pair.sino.mha" --geometry "$work/g.json" --prior tv --iterations 2 \
  --reference "$work/pair_dicom" --output "$work/recon_dicom" >/dev/null 2>&1
(($(ls "$work/recon_dicom" | wc -l) == 2)) || fail "expected a DICOM series of 2 files"
"$tweedie" metrics --reference "$work/pair.recon.mha" --input "$work/recon_dicom" >"$work/dicom.json"
awk -v e="$(json_number "$work/dicom.json" mse)" 'BEGIN { exit !(e <= 1.0 / 12 + 0.01) }' ||
  fail "the DICOM series differs from the float result by more than rounding: $(cat "$work/dicom.json")"
"$tweedie" convert --input "$work/pair.recon.mha" --first-slice 1 --slice-count 1 --output "$work/pair1.mha" >/dev/null
"$tweedie" metrics --reference "$work/second.recon.mha" --input "$work/pair1.mha" >"$work/same.json"
awk -v e="$(json_number "$work/same.json" mse)" 'BEGIN { exit !(e == 0) }' || fail "slice 2 of the stack differs from slice 2 alone: $(cat "$work/same.json")"

# The effective configuration beside the output repeats the run to the bit; the command line wins
# over the file; a key that is no option is refused.
[[ -s $work/pair.recon.mha.config.json ]] || fail "no configuration written beside the output"
"$tweedie" recon --config "$work/pair.recon.mha.config.json" --output "$work/again.mha" >/dev/null 2>&1
cmp -s "$work/pair.recon.mha" "$work/again.mha" || fail "the written configuration did not repeat the reconstruction"
"$tweedie" recon --config "$work/pair.recon.mha.config.json" --iterations 1 --output "$work/once.mha" >"$work/once.txt" 2>&1
grep -q "2 slices × 1 iterations" "$work/once.txt" || fail "the command line did not override the configuration"
echo '{"sinogram": "x.mha", "colour": "red"}' >"$work/typo.json"
expect_error "'colour', which is not an option of tweedie recon" \
  "$tweedie" recon --config "$work/typo.json" --geometry "$work/g.json" --output "$work/bad.nii.gz"

expect_one_line_error "trained on natural images; this needs a ct model" \
  "$tweedie" recon --sinogram "$work/sino.mha" --geometry "$work/g.json" --prior "$(dirname "$0")/../../models/natural-gray.tdm" \
  --output "$work/bad.nii.gz"
expect_one_line_error "unknown solver" \
  "$tweedie" recon --sinogram "$work/sino.mha" --geometry "$work/g.json" --solver art --output "$work/bad.nii.gz"
"$tweedie" geometry --parallel --views 90 --image-size 512 --pixel-spacing 0.9765625 --output "$work/g90.json" >/dev/null
expect_one_line_error "90" \
  "$tweedie" recon --sinogram "$work/sino.mha" --geometry "$work/g90.json" --solver cgls --output "$work/bad.nii.gz"
# Bad input to recon: each one line, no output. A tiny 8-detector, 4-view geometry and sinograms
# written as raw float MetaImages (one with a NaN); negative weights; a truncated model file.
"$tweedie" geometry --parallel --views 4 --detectors 8 --detector-spacing 1 --image-size 8 --pixel-spacing 1 \
  --output "$work/tiny.json" >/dev/null
raw_sinogram() {  # FILE [BYTES]: an 8×4 float sinogram of zeros, its first value BYTES (printf escapes)
  printf 'ObjectType = Image\nNDims = 2\nDimSize = 8 4\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n' >"$1"
  if [[ -n ${2:-} ]]; then
    { printf "$2"; head -c 124 /dev/zero; } >>"$1"
  else
    head -c 128 /dev/zero >>"$1"
  fi
}
raw_sinogram "$work/nan.mha" '\x00\x00\xc0\x7f'
raw_sinogram "$work/negative.mha" '\x00\x00\x80\xbf'  # −1
raw_sinogram "$work/zeros.mha"
expect_one_line_error "no such file or folder" \
  "$tweedie" recon --sinogram "$work/absent.mha" --geometry "$work/tiny.json" --output "$work/bad.nii.gz"
expect_one_line_error "non-finite value (nan)" \
  "$tweedie" recon --sinogram "$work/nan.mha" --geometry "$work/tiny.json" --solver cgls --output "$work/bad.nii.gz"
expect_one_line_error "weights hold a negative value (-1) at voxel (0, 0)" \
  "$tweedie" recon --sinogram "$work/zeros.mha" --weights "$work/negative.mha" --geometry "$work/tiny.json" \
  --solver cgls --output "$work/bad.nii.gz"
head -c 5000 "$(dirname "$0")/../../models/ct.tdm" >"$work/cut.tdm"
expect_one_line_error "truncated" \
  "$tweedie" recon --sinogram "$work/zeros.mha" --geometry "$work/tiny.json" --prior "$work/cut.tdm" --output "$work/bad.nii.gz"
expect_one_line_error "cannot create folder" \
  "$tweedie" recon --sinogram "$work/zeros.mha" --geometry "$work/tiny.json" --solver cgls --output "$work/nan.mha/x/bad.nii.gz"
[[ ! -e $work/bad.nii.gz ]] || fail "a failed command left an output"
echo "cli_recon: ok"
