#!/usr/bin/env bash
# Evaluate a model card on the held-out sets (both channels) with Timbre's own CLI, as the card's numbers were made:
#   training/eval.sh [CARD]   (default models/timbre-default.json; needs training/work/eval from timbre_train.prep)
set -euo pipefail
cd "$(dirname "$0")/.."
CARD="${1:-models/timbre-default.json}"
for cond in 16k 8k; do
  for s in long:long.all long:long.same-lang long:long.cross-lang librispeech:librispeech speech-commands:speech-commands; do
    root="${s%%:*}"; list="${s##*:}"; enrol="${list%%.*}"
    echo "== $list $cond"
    npx tsx bin/timbre.ts eval --enrol "training/lists/$enrol.enrol.tsv" --trials "training/lists/$list.trials.tsv" \
      --root "training/work/eval/$root/$cond" --model "$CARD" --json
  done
done
