#!/usr/bin/env bash
# Rebuild Timbre's voice-spoofing countermeasure (models/timbre-cm.{onnx,json}) from scratch:
#   training/run-cm.sh [--data-root DIR] [--minutes 60] [--scale 1.3] [--resume]
# Steps: data preparation (bona fide crops + synthesised / vocoded / replayed spoofs, telephone channels, fbank,
# lists) -> training -> ONNX export + parity check + card -> logistic calibration on spoof-calib.tsv -> card.
# Intermediate files live in training/work/ (git-ignored). Measuring (timbre eval-spoof) is in training/README.md.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
DATA_ROOT="$(cd .. && pwd)/../shared/data"; MINUTES=60; SCALE=1.3; RESUME=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) DATA_ROOT="$2"; shift 2;;
    --minutes) MINUTES="$2"; shift 2;;
    --scale) SCALE="$2"; shift 2;;
    --resume) RESUME="--resume"; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
mkdir -p work
if [ -z "$RESUME" ] || [ ! -f work/spoof/train/feats.json ]; then
  $PY -m timbre_train.cm_prep --data-root "$DATA_ROOT" --scale "$SCALE" 2>&1 | tee work/cm-prep.log
fi
$PY -m timbre_train.cm_train --minutes "$MINUTES" $RESUME 2>&1 | tee -a work/cm-train.log
$PY -m timbre_train.cm_export --ckpt work/cm-ckpt/final.pt
# Calibration on the exact runtime path: eval-spoof's raw pooled logits of the calibration list, then a logistic fit.
(cd .. && npx tsx bin/timbre.ts eval-spoof --list training/lists/spoof-calib.tsv --root training/work/spoof/calib \
  --model models/timbre-cm.json --scores training/work/cm-calib-scores.tsv --json > training/work/cm-calib-uncal.json)
$PY -m timbre_train.cm_eval --fit-calibration work/cm-calibration.json --scores work/cm-calib-scores.tsv
$PY -m timbre_train.cm_export --ckpt work/cm-ckpt/final.pt --card-only --calibration work/cm-calibration.json
# Measure with the runtime (card "measured"), then the prose card.
$PY -m timbre_train.cm_measure --out work/cm-measured.json
$PY -m timbre_train.cm_export --ckpt work/cm-ckpt/final.pt --card-only --measured work/cm-measured.json
echo "model: models/timbre-cm.{onnx,json}; numbers: training/work/cm-measured.json"
