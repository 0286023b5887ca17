#!/usr/bin/env bash
# The solver quality table (README.md): PSNR / SSIM / seconds of every solver, with its documented
# defaults, on
#   - low-dose CT of the bundled abdomen sample (its 2 middle slices, 512², HU): I0 = 1e4 and 5e4, 720 views,
#     parallel and fan beam; sparse view (60 views, I0 = 1e5, parallel);
#   - Set12 (../shared/data/natural/set12): Gaussian deblurring (kernel σ 1.6, noise σ 2.55),
#     super-resolution ×2 and ×4 (anti-alias σ = factor/2, noise σ 2.55), 50 % inpainting (noise 2.55).
# CT PSNR is over the reference's HU range; natural images over 0–255. Seconds are the solver's own
# (2 threads), averaged over the images. CT adds a row for PnP-HQS with the ×8 self-ensemble prior;
# restore uses it by default for PnP and RED. `red-gd` is RED in its gradient form.
#
#   bash scripts/solver-quality.sh [BUILD_DIR] [SHARED_DATA_DIR] [WORK_DIR] [quick]
# quick: three CT cases (no I0 = 5e4), the seven 256² Set12 images, no Langevin for CT.
# SOLVERS="a b" runs only those solvers; PROBLEMS=ct or PROBLEMS=set12 only those cases;
# CT_CASES="parallel-5e4 fan-5e4" only those of the five CT cases (parallel-1e4 fan-1e4 parallel-5e4
# fan-5e4 sparse; quick leaves out the two 5e4 ones); SET12_CASES="x4 inpainting" only those of the
# four Set12 problems (deblurring x2 x4 inpainting).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tweedie=${1:-$root/build}/apps/tweedie
shared=${2:-$root/../shared/data}
work=${3:-$(mktemp -d)}
mkdir -p "$work"
[[ -d $shared/natural/set12 ]] || { echo "no Set12 under '$shared/natural' (pass the shared data folder)" >&2; exit 1; }
quick=${4:-}
natural_solvers="cgls sirt tv-pdhg pnp-admm pnp-hqs pnp-pgd pnp-fista red red-gd langevin dps"
ct_solvers=$natural_solvers
set12=("$shared"/natural/set12/*.png)
if [[ $quick == quick ]]; then
  ct_solvers="cgls sirt tv-pdhg pnp-admm pnp-hqs pnp-pgd pnp-fista red red-gd dps"
  set12=("$shared"/natural/set12/0[1-7].png)
fi
ct_rows="$ct_solvers pnp-hqs+ensemble"
if [[ -n ${SOLVERS:-} ]]; then
  natural_solvers=$SOLVERS ct_rows=$SOLVERS
fi
problems=${PROBLEMS:-ct set12}

# Whether the word $1 is in the space-separated list $2.
listed() { [[ " $2 " == *" $1 "* ]]; }

# A row is a solver name, or one with flags: NAME+ensemble (--ensemble), red-gd (red --red-form
# gradient). Sets $solver and the array $extra.
row_flags() {
  solver=${1%+ensemble} extra=()
  [[ $1 == *+ensemble ]] && extra=(--ensemble)
  if [[ $solver == red-gd ]]; then solver=red extra+=(--red-form gradient); fi
  return 0
}

# One row: "solver | start PSNR | PSNR | start SSIM | SSIM | seconds", from the summary lines in $1.
summarise() {
  sed -n 's/.*, \([0-9.e+-]*\) s; PSNR \([0-9.]*\) dB ([a-z]*) → \([0-9.]*\) dB, SSIM \([0-9.]*\) → \([0-9.]*\).*/\2 \3 \4 \5 \1/p' "$1" |
    awk '{ a += $1; b += $2; c += $3; d += $4; t += $5; n++ }
         END { if (n) printf "%.2f | %.2f | %.3f | %.3f | %.2f", a / n, b / n, c / n, d / n, t / n }'
}

table_header() {
  echo
  echo "### $1"
  echo
  echo "| solver | start PSNR | PSNR | start SSIM | SSIM | s |"
  echo "|---|---|---|---|---|---|"
}

# --- CT: the two middle slices of the sample ---
sample=$work/ct_slices.nii.gz
ct_case() {  # name, geometry flags, dose
  local name=$1 flags=$2 dose=$3
  table_header "CT: $name"
  # shellcheck disable=SC2086
  "$tweedie" geometry $flags --image-size 512 --pixel-spacing 0.9765625 --output "$work/$name.json" >/dev/null
  "$tweedie" simulate --input "$sample" --geometry "$work/$name.json" --dose "$dose" --seed 1 \
    --output "$work/$name.mha" --weights "$work/$name.w.mha" >/dev/null
  local row solver extra
  for row in $ct_rows; do
    row_flags "$row"
    if "$tweedie" recon --sinogram "$work/$name.mha" --weights "$work/$name.w.mha" --geometry "$work/$name.json" \
      --solver "$solver" "${extra[@]}" --reference "$sample" --output "$work/$name.$row.mha" >"$work/$name.$row.txt" 2>&1; then
      echo "| $row | $(summarise "$work/$name.$row.txt") |"
    else
      echo "| $row | failed: $(tail -1 "$work/$name.$row.txt") |"
    fi
  done
}
ct_cases="parallel-1e4 parallel-5e4 fan-1e4 fan-5e4 sparse"
[[ $quick == quick ]] && ct_cases="parallel-1e4 fan-1e4 sparse"
ct_wanted() { listed "$1" "${CT_CASES:-$ct_cases}"; }
if [[ $problems == *ct* ]]; then
  "$tweedie" convert --input "$root/data/ct/abdomen_siemens_4sl.nii.gz" --first-slice 1 --slice-count 2 --output "$sample" >/dev/null
  if ct_wanted parallel-1e4; then ct_case "parallel, 720 views, I0 1e4" "--parallel --views 720" 1e4; fi
  if ct_wanted parallel-5e4; then ct_case "parallel, 720 views, I0 5e4" "--parallel --views 720" 5e4; fi
  if ct_wanted fan-1e4; then ct_case "fan, 720 views, I0 1e4" "--fan --views 720" 1e4; fi
  if ct_wanted fan-5e4; then ct_case "fan, 720 views, I0 5e4" "--fan --views 720" 5e4; fi
  if ct_wanted sparse; then ct_case "parallel, sparse 60 views, I0 1e5" "--parallel --views 60" 1e5; fi
fi

# --- Set12 ---
natural_case() {  # name, degrade/restore flags, degrade-only flags
  local name=$1 flags=$2 degrade_flags=${3:-}
  table_header "Set12: $name"
  local row solver extra
  for row in $natural_solvers; do
    : >"$work/$name.$row.txt"
  done
  for image in "${set12[@]}"; do
    local base
    base=$(basename "$image" .png)
    # shellcheck disable=SC2086
    "$tweedie" degrade --input "$image" $flags $degrade_flags --noise-sigma 2.55 --seed 1 --output "$work/$base.y.mha" >/dev/null
    for row in $natural_solvers; do
      row_flags "$row"
      # shellcheck disable=SC2086
      "$tweedie" restore --input "$work/$base.y.mha" $flags --solver "$solver" "${extra[@]}" --prior natural-gray \
        --reference "$image" --output "$work/$base.$row.mha" >>"$work/$name.$row.txt" 2>&1 || true
    done
  done
  for row in $natural_solvers; do echo "| $row | $(summarise "$work/$name.$row.txt") |"; done
}
[[ $problems == *set12* ]] || exit 0
wanted() { listed "$1" "${SET12_CASES:-deblurring x2 x4 inpainting}"; }
if wanted deblurring; then natural_case "deblurring" "--operator blur --blur-sigma 1.6"; fi
if wanted x2; then natural_case "super-resolution x2" "--operator decimate --factor 2"; fi
if wanted x4; then natural_case "super-resolution x4" "--operator decimate --factor 4"; fi
if wanted inpainting; then natural_case "inpainting 50%" "--operator mask --mask $work/mask.mha" "--missing 0.5"; fi
