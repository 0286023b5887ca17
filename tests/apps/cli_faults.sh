#!/usr/bin/env bash
# Kills and races: a SIGKILL during `train` loses at most the steps since the last checkpoint and
# the resumed run ends with the bits of an uninterrupted one; a SIGKILL during `recon` of a volume
# leaves the previous output as it was; two processes writing one path leave one whole file.
# (A kill during a study is checked by cli_study, a full disk by cli_full_disk.)
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"

# wait_for FILE: until FILE exists (at most 5 minutes: sanitizer builds are slow).
wait_for() {
  for _ in $(seq 3000); do [[ -e $1 ]] && return 0; sleep 0.1; done
  fail "$1 did not appear"
}

# Training: pictures of random blocks (8-bit MetaImage from awk, as PNG).
mkdir -p "$work/train" "$work/validation"
for k in 1 2 3; do
  {
    printf 'ObjectType = Image\nNDims = 2\nDimSize = 32 32\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'
    awk -v seed="$k" 'BEGIN { srand(seed); for (b = 0; b < 16; b++) v[b] = int(40 + 170 * rand());
      for (y = 0; y < 32; y++) for (x = 0; x < 32; x++) printf "%c", v[int(y / 8) * 4 + int(x / 8)] }'
  } >"$work/p$k.mha"
  "$tweedie" convert --input "$work/p$k.mha" --output "$work/train/p$k.png" >/dev/null
done
mv "$work/train/p3.png" "$work/validation/"
cat >"$work/recipe.json" <<JSON
{"train_data": "$work/train", "validation_data": "$work/validation", "architecture": {"depth": 4, "width": 16}, "patch": 24, "batch": 4, "steps": 400,
 "corruption": {"type": "gaussian", "level": 25}, "learning_rate": 1e-3, "warmup_steps": 5, "epoch_steps": 50,
 "checkpoint_steps": 25, "seed": 4}
JSON
"$tweedie" --threads 1 train --recipe "$work/recipe.json" --output "$work/whole.tdm" >/dev/null 2>&1
"$tweedie" --threads 1 train --recipe "$work/recipe.json" --output "$work/killed.tdm" >/dev/null 2>&1 &
pid=$!
wait_for "$work/killed.tdm.checkpoint"
sleep 0.3
kill -KILL $pid
wait $pid 2>/dev/null || true
[[ ! -e $work/killed.tdm ]] || fail "a killed training run left a model"
"$tweedie" --threads 1 train --recipe "$work/recipe.json" --output "$work/killed.tdm" \
  --resume "$work/killed.tdm.checkpoint" >/dev/null 2>"$work/resume.log" || fail "resume failed: $(cat "$work/resume.log")"
grep -q " from step [1-9]" "$work/resume.log" || fail "the resumed run did not start from a checkpoint: $(cat "$work/resume.log")"
cmp -s "$work/whole.tdm" "$work/killed.tdm" || fail "killed and resumed training differs from an uninterrupted run"

# Reconstruction of a 4-slice volume killed part-way: the FBP written before stays, byte for byte.
"$tweedie" geometry --parallel --views 360 --image-size 512 --pixel-spacing 0.9765625 --output "$work/g.json" >/dev/null
"$tweedie" simulate --input "$sample" --geometry "$work/g.json" --dose 1e4 --output "$work/sino.mha" >/dev/null 2>&1
mkdir "$work/out"
"$tweedie" recon --sinogram "$work/sino.mha" --geometry "$work/g.json" --solver fbp --output "$work/out/recon.mha" \
  >/dev/null 2>&1
cp "$work/out/recon.mha" "$work/before.mha"
files_before=$(ls "$work/out")
"$tweedie" recon --sinogram "$work/sino.mha" --geometry "$work/g.json" --output "$work/out/recon.mha" >"$work/recon.log" 2>&1 &
pid=$!
for _ in $(seq 3000); do grep -q "^slice 1/4 done" "$work/recon.log" && break; sleep 0.1; done
grep -q "^slice 1/4 done" "$work/recon.log" || fail "recon did not finish its first slice: $(cat "$work/recon.log")"
kill -KILL $pid
wait $pid 2>/dev/null || true
cmp -s "$work/before.mha" "$work/out/recon.mha" || fail "a killed recon changed the previous output"
[[ $(ls "$work/out") == "$files_before" ]] || fail "a killed recon left visible files: $(ls "$work/out")"

# Two writers of one path: the file is whole and is one of theirs.
for k in 0 1; do "$tweedie" convert --input "$sample" --first-slice $k --slice-count 1 --output "$work/slice$k.mha" >/dev/null; done
for round in 1 2 3 4 5; do
  "$tweedie" convert --input "$work/slice0.mha" --output "$work/race.mha" >/dev/null &
  first=$!
  "$tweedie" convert --input "$work/slice1.mha" --output "$work/race.mha" >/dev/null
  wait $first
  cmp -s "$work/race.mha" "$work/slice0.mha" || cmp -s "$work/race.mha" "$work/slice1.mha" ||
    fail "round $round: two writers left a file that is neither's"
done
[[ -z $(ls -A "$work" | grep partial) ]] || fail "writers left staging folders: $(ls -A "$work")"
echo "cli_faults: ok"
