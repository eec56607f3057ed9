#!/usr/bin/env bash
# Rebuild Timbre's default speaker-embedding model from scratch:
#   training/run.sh --data-root /work/shared/data [--debian-root /] [--minutes 60]
# Steps: data preparation (split, eval/calibration audio + lists, augmented fbank) -> training -> calibration fit
# -> evaluation -> ONNX export + model card + parity test vector. Everything intermediate lives in training/work/.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
DATA_ROOT=""; DEBIAN_ROOT="/"; MINUTES=60; RESUME=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) DATA_ROOT="$2"; shift 2;;
    --debian-root) DEBIAN_ROOT="$2"; shift 2;;
    --minutes) MINUTES="$2"; shift 2;;
    --resume) RESUME="--resume"; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$DATA_ROOT" ] || { echo "usage: training/run.sh --data-root DIR [--debian-root /] [--minutes 60] [--resume]" >&2; exit 2; }
mkdir -p work
if [ -z "$RESUME" ] || [ ! -f work/feats/index.json ]; then
  $PY -m timbre_train.prep --data-root "$DATA_ROOT" --debian-root "$DEBIAN_ROOT" 2>&1 | tee work/prep.log
fi
$PY -m timbre_train.train --minutes "$MINUTES" $RESUME 2>&1 | tee -a work/train.log
$PY -m timbre_train.evaluate --ckpt work/ckpt/final.pt --fit-calibration work/calibration.json
$PY -m timbre_train.evaluate --ckpt work/ckpt/final.pt --all --calibration work/calibration.json --out work/results.json
$PY -m timbre_train.export --ckpt work/ckpt/final.pt --calibration work/calibration.json --results work/results.json
echo "model written to models/timbre-default.{json,onnx}; numbers in training/work/results.json"
