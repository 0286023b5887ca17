#!/usr/bin/env bash
# Replays a bundled model's training chain from its first recipe: models/recipes/MODEL/stage1.json,
# stage2.json, … in order, each stage starting from the one before (its "initial_model"), each
# written beside its recipe as stageN.tdm. A stage already written is kept; an interrupted stage
# resumes from its checkpoint. The last stage is the bundled models/MODEL.tdm (the same bits at the
# same thread count and backend; natural-gray's stage 6 ran with --backend amx-bf16, set
# BACKEND_STAGE6=amx-bf16 on an AMX machine to repeat it exactly).
#
#   bash scripts/replay-model.sh MODEL [BUILD_DIR (default build)]     # MODEL: ct, natural-gray or a recipe folder
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
model=${1:?usage: replay-model.sh MODEL [BUILD_DIR]}
build=${2:-$root/build}
recipes=$root/models/recipes/$model
[[ -d $model ]] && recipes=$(cd "$model" && pwd)
[[ -d $recipes ]] || { echo "replay-model: no recipes for '$model' in $recipes" >&2; exit 1; }

stages=$(ls "$recipes" | sed -n 's/^stage\([0-9]*\)\.json$/\1/p' | sort -n)
for n in $stages; do
  output=$recipes/stage$n.tdm
  if [[ -s $output ]]; then
    echo "replay-model: stage $n done ($output)"
    continue
  fi
  backend_variable=BACKEND_STAGE$n
  args=(train --recipe "$recipes/stage$n.json" --output "$output" --backend "${!backend_variable:-winograd}")
  [[ -s $output.checkpoint ]] && args+=(--resume "$output.checkpoint")
  echo "replay-model: stage $n"
  (cd "$recipes" && "$build/apps/tweedie" "${args[@]}")
done
echo "replay-model: done; the last stage is $recipes/stage${stages##*$'\n'}.tdm"
