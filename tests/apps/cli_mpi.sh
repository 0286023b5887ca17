#!/usr/bin/env bash
# The program over 2 MPI ranks (skipped when built without MPI or without mpirun): a study gives
# the results.csv bytes of one process, rank 1 running cases too; recon of a 3-slice stack spread
# over the ranks gives the volume bits and the report of one process.
tweedie=$1
source_dir=$2
with_mpi=$3
source "$(dirname "$0")/cli_lib.sh"
if [[ $with_mpi != TRUE && $with_mpi != 1 ]] || ! command -v mpirun >/dev/null; then
  echo "SKIP: built without MPI, or no mpirun"
  exit 77
fi
mpi=(mpirun --oversubscribe -np 2)
[[ $(id -u) -eq 0 ]] && mpi+=(--allow-run-as-root)

spec=$source_dir/bench/studies/quick.json
"$tweedie" study run "$spec" --output "$work/one" >/dev/null
"${mpi[@]}" "$tweedie" study run "$spec" --output "$work/ranks" >"$work/ranks.txt"
grep -q "× 2 processes" "$work/ranks.txt" || fail "mpirun -np 2 did not run 2 processes: $(tail -1 "$work/ranks.txt")"
cmp "$work/one/results.csv" "$work/ranks/results.csv" || fail "2 MPI ranks gave another results.csv"
cut -d, -f4 "$work/ranks/timings.csv" | grep -qx 1 || fail "rank 1 ran no case"

"$tweedie" convert --input "$source_dir/data/ct/abdomen_siemens_4sl.nii.gz" --slice-count 3 --output "$work/stack.nii.gz" >/dev/null
"$tweedie" geometry --parallel --views 90 --image-size 512 --pixel-spacing 0.9765625 --output "$work/g.json" >/dev/null
"$tweedie" simulate --input "$work/stack.nii.gz" --geometry "$work/g.json" --dose 1e5 --seed 2 --output "$work/sino.mha" >/dev/null
recon=(recon --sinogram "$work/sino.mha" --geometry "$work/g.json" --solver pnp-hqs --prior tv --iterations 3
  --reference "$work/stack.nii.gz")
"$tweedie" "${recon[@]}" --output "$work/alone.mha" >"$work/alone.txt"
"${mpi[@]}" "$tweedie" "${recon[@]}" --output "$work/spread.mha" >"$work/spread.txt"
cmp "$work/alone.raw" "$work/spread.raw" 2>/dev/null || cmp "$work/alone.mha" "$work/spread.mha" ||
  fail "recon over 2 ranks wrote other bits than one process"
# The same report but for times (and the progress line, printed by one process only).
strip() { grep -v "slice [0-9]*/[0-9]* done" "$1" | sed 's/[0-9.e+-]* s\b/T s/g'; }
diff <(strip "$work/alone.txt") <(strip "$work/spread.txt") || fail "recon over 2 ranks reported otherwise"
(($(grep -c "^slice [0-9]*:" "$work/spread.txt") == 3)) || fail "the report over 2 ranks lacks slices: $(cat "$work/spread.txt")"
echo "cli_mpi: ok"
