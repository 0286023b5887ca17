#!/usr/bin/env bash
# tweedie train and tweedie denoise end to end: a tiny model trained on generated pictures, a kill
# that leaves a checkpoint, a resume, denoising with the model and the baselines, and bad models.
tweedie=$1
source "$(dirname "$0")/cli_lib.sh"

# Pictures made without any outside tool: 8-bit MetaImage of random 8×8 blocks (plus Gaussian
# noise of σ, clipped to 0–255), converted to PNG.
make_picture() {
  local name=$1 seed=$2 folder=$3 sigma=${4:-0}
  {
    printf 'ObjectType = Image\nNDims = 2\nDimSize = 48 48\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'
    awk -v seed="$seed" -v sigma="$sigma" 'BEGIN { srand(seed); for (b = 0; b < 36; b++) v[b] = int(40 + 170 * rand());
      for (y = 0; y < 48; y++) for (x = 0; x < 48; x++) {
        g = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand());
        p = int(v[int(y / 8) * 6 + int(x / 8)] + sigma * g + 0.5); if (p < 0) p = 0; if (p > 255) p = 255
        printf "%c", p } }'
  } >"$work/$name.mha"
  "$tweedie" convert --input "$work/$name.mha" --output "$work/$folder/$name.png" >/dev/null
}
mkdir -p "$work/train" "$work/validation"
for k in 1 2 3 4; do make_picture "p$k" "$k" train; done
make_picture v1 9 validation
make_picture noisy 9 . 25

recipe() {
  cat <<JSON
{"train_data": "train", "validation_data": "validation", "architecture": {"depth": 4, "width": 16},
 "patch": 24, "batch": 8, "steps": $1, "scales": [1, 0.5], "corruption": {"type": "gaussian", "level": 25},
 "learning_rate": 1e-3, "warmup_steps": 5, "epoch_steps": 20, "checkpoint_steps": 10, "seed": 1}
JSON
}
recipe 40 >"$work/short.json"
"$tweedie" --threads 1 train --recipe "$work/short.json" --output "$work/tiny.tdm" 2>"$work/train.log" >/dev/null
grep -q "validation" "$work/train.log" || fail "no validation PSNR in the progress: $(cat "$work/train.log")"
grep -q "^data: 4 files, 8 images (scales 1, 0.5)" "$work/train.log" || fail "the data line does not count the shrunk copies: $(cat "$work/train.log")"
[[ -s $work/tiny.tdm ]] || fail "no model written"

# A model's chain replayed from its recipes (scripts/replay-model.sh): two stages, the second from the
# first, the same bits as running them by hand.
mkdir -p "$work/chain" "$work/by_hand"
recipe 20 >"$work/chain/stage1.json"
recipe 20 | sed 's/"seed": 1}/"seed": 2, "initial_model": "stage1.tdm"}/' >"$work/chain/stage2.json"
cp "$work/chain/"*.json "$work/by_hand/"
ln -s "$work/train" "$work/chain/train" && ln -s "$work/validation" "$work/chain/validation"
ln -s "$work/train" "$work/by_hand/train" && ln -s "$work/validation" "$work/by_hand/validation"
bash "$(dirname "$0")/../../scripts/replay-model.sh" "$work/chain" "$(dirname "$(dirname "$tweedie")")" >/dev/null 2>&1 ||
  fail "replay-model.sh failed"
(cd "$work/by_hand" && "$tweedie" train --recipe stage1.json --output stage1.tdm && "$tweedie" train --recipe stage2.json --output stage2.tdm) \
  >/dev/null 2>&1
cmp -s "$work/chain/stage2.tdm" "$work/by_hand/stage2.tdm" || fail "the replayed chain differs from the stages run by hand"

# From noisy pictures only: --loss sure trains without clean targets and records the loss.
mkdir -p "$work/noisy_train"
for k in 1 2 3 4; do make_picture "n$k" "$((k + 20))" noisy_train 25; done
sed 's/"train_data": "train"/"train_data": "noisy_train"/' "$work/short.json" >"$work/noisy.json"
"$tweedie" --threads 1 train --recipe "$work/noisy.json" --loss sure --output "$work/sure.tdm" 2>"$work/sure.log" >/dev/null
[[ -s $work/sure.tdm ]] || fail "no SURE-trained model written: $(cat "$work/sure.log")"
grep -aq '"loss": "sure"' "$work/sure.tdm" || fail "the model does not record its SURE loss"
expect_one_line_error "unknown loss 'l1'" \
  "$tweedie" train --recipe "$work/noisy.json" --loss l1 --output "$work/bad.tdm"

# The default Winograd convolutions and the reference backend both train; an unknown backend is refused.
"$tweedie" --threads 1 train --recipe "$work/short.json" --backend reference --output "$work/reference.tdm" \
  2>"$work/reference.log" >/dev/null
[[ -s $work/reference.tdm ]] || fail "no model written with --backend reference: $(cat "$work/reference.log")"
expect_one_line_error "unknown convolution backend 'cuda'" \
  "$tweedie" train --recipe "$work/short.json" --backend cuda --output "$work/bad.tdm"

# A kill (SIGTERM) writes a checkpoint, exits non-zero and says how to continue; --resume goes on.
recipe 1000000 >"$work/long.json"
"$tweedie" --threads 1 train --recipe "$work/long.json" --output "$work/long.tdm" 2>"$work/long.log" &
pid=$!
for _ in $(seq 100); do grep -q "^step" "$work/long.log" && break; sleep 0.1; done
sleep 1
kill -TERM $pid
status=0
wait $pid || status=$?
((status != 0)) || fail "a stopped training exited 0"
grep -q "continue with --resume" "$work/long.log" || fail "no resume hint: $(cat "$work/long.log")"
[[ -s $work/long.tdm.checkpoint && ! -e $work/long.tdm ]] || fail "expected a checkpoint and no model"
"$tweedie" --threads 1 train --recipe "$work/long.json" --output "$work/long.tdm" \
  --resume "$work/long.tdm.checkpoint" 2>"$work/resume.log" &
pid=$!
for _ in $(seq 100); do grep -q "^step" "$work/resume.log" && break; sleep 0.1; done
kill -TERM $pid
wait $pid || true
grep -q " from step [1-9]" "$work/resume.log" || fail "the resumed run did not start from the checkpoint"
expect_one_line_error "is a training checkpoint, not a model" \
  "$tweedie" denoise --input "$work/train/p1.png" --model "$work/long.tdm.checkpoint" --sigma 25 --output "$work/x.png"

# Denoising: the model, TV, Gaussian smoothing, BM3D and a SURE-weighted blend each lower the
# error of the noisy picture, as float MetaImage and as 8-bit PNG.
psnr() { "$tweedie" metrics --reference "$work/validation/v1.png" --input "$1" --data-range 255 >"$work/m.json" &&
  json_number "$work/m.json" psnr; }
noisy_psnr=$(psnr "$work/noisy.png")
for prior in "$work/tiny.tdm" tv gaussian bm3d "$work/tiny.tdm,bm3d"; do
  for output in out.mha out.png; do
    "$tweedie" denoise --input "$work/noisy.png" --prior "$prior" --sigma 25 --output "$work/$output" >/dev/null
    awk -v a="$(psnr "$work/$output")" -v b="$noisy_psnr" 'BEGIN { exit !(a > b + 1) }' ||
      fail "$prior ($output) did not denoise: $(psnr "$work/$output") dB vs $noisy_psnr dB"
  done
done

"$tweedie" denoise --input "$work/noisy.png" --prior tv,bm3d --sigma 25 --output "$work/out.png" >"$work/blend.txt"
grep -Eq "^SURE weights: tv [0-9.e-]+, bm3d [0-9.e-]+$" "$work/blend.txt" ||
  fail "denoise with a blend does not report its weights: $(cat "$work/blend.txt")"

# Bad models and options: one line each, nothing written.
head -c 3000 "$work/tiny.tdm" >"$work/truncated.tdm"
expect_one_line_error "is damaged or truncated" \
  "$tweedie" denoise --input "$work/train/p1.png" --model "$work/truncated.tdm" --sigma 25 --output "$work/bad.png"
expect_one_line_error "no model file" \
  "$tweedie" denoise --input "$work/train/p1.png" --model "$work/none.tdm" --sigma 25 --output "$work/bad.png"
expect_one_line_error "empty member in the blend 'tv,,bm3d'" \
  "$tweedie" denoise --input "$work/train/p1.png" --prior tv,,bm3d --sigma 25 --output "$work/bad.png"
expect_one_line_error "is for denoising only" \
  "$tweedie" restore --input "$work/noisy.png" --operator blur --prior tv,bm3d --output "$work/bad.png"
expect_one_line_error "either --model or --prior" \
  "$tweedie" denoise --input "$work/train/p1.png" --sigma 25 --output "$work/bad.png"
expect_one_line_error "unknown corruption" bash -c \
  "echo '{\"train_data\": \"t\", \"validation_data\": \"v\", \"corruption\": {\"type\": \"blur\"}}' >'$work/bad.json' &&
   '$tweedie' train --recipe '$work/bad.json' --output '$work/bad.tdm'"
[[ ! -e $work/bad.png && ! -e $work/bad.tdm ]] || fail "a failed command left an output"
echo "cli_train_denoise: ok"
