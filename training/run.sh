#!/usr/bin/env bash
# Rebuild Timbre's default speaker-embedding model from scratch:
#   training/run.sh --data-root DIR [--debian-root /] [--minutes 58] [--resume]
# Steps: data preparation (split, eval/calibration audio + lists, augmented fbank) -> training -> ONNX export + card
# -> `timbre calibrate` on the calibration speakers -> `timbre eval` on every held-out set -> card + prose card.
# Intermediate files live in training/work/ (git-ignored); the model lands in models/timbre-default.{onnx,json,md}.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
DATA_ROOT=""; DEBIAN_ROOT="/"; MINUTES=58; RESUME=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) DATA_ROOT="$2"; shift 2;;
    --debian-root) DEBIAN_ROOT="$2"; shift 2;;
    --minutes) MINUTES="$2"; shift 2;;
    --resume) RESUME="--resume"; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$DATA_ROOT" ] || { echo "usage: training/run.sh --data-root DIR [--debian-root /] [--minutes 58] [--resume]" >&2; exit 2; }
mkdir -p work
if [ -z "$RESUME" ] || [ ! -f work/feats/index.json ]; then
  $PY -m timbre_train.prep --data-root "$DATA_ROOT" --debian-root "$DEBIAN_ROOT" 2>&1 | tee work/prep.log
fi
$PY -m timbre_train.train --minutes "$MINUTES" $RESUME 2>&1 | tee -a work/train.log
cd ..
$PY -m training.timbre_train.export --ckpt training/work/ckpt/final.pt --cohort ""
# v2's held-out and calibration audio (issue 12's sets; the lists are committed), then the card export just wrote is the
# one to calibrate, so rewrite it in place: duration-aware, both calibration lists pooled with equal weight.
$PY -m training.timbre_train.v2_audio --data-root "$DATA_ROOT"
training/calibrate.sh models/timbre-default.json
$PY -m training.timbre_train.cli_eval --sets v1,v2 --out training/work/cli-results.json
$PY -m training.timbre_train.export --ckpt training/work/ckpt/final.pt --card-only --results training/work/cli-results.json
npx tsx bin/timbre.ts eval-watchlist --data "$DATA_ROOT/common-voice" --half calibration --fit --out models/timbre-default.json
# Python cross-check of the same numbers (no VAD; torchaudio resampling), then the prose card with both:
$PY -m training.timbre_train.evaluate --ckpt training/work/ckpt/final.pt --all --out training/work/results-python.json
$PY -m training.timbre_train.card_md models/timbre-default.json training/facts/timbre-spk-v1.json models/timbre-default.md \
  training/work/results-python.json
echo "model: models/timbre-default.{onnx,json,md}; numbers: training/work/cli-results.json"
