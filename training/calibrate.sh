#!/usr/bin/env bash
# Calibrate a speaker card in place the way the shipped one is: duration-aware (`timbre calibrate --duration`), on
# v1's and v2's calibration lists pooled with equal weight. Needs their audio: `python3 -m timbre_train.prep` (v1's,
# with `git diff training/lists` empty afterwards) and `python3 -m training.timbre_train.v2_audio` (v2's).
#   training/calibrate.sh CARD
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: training/calibrate.sh CARD" >&2; exit 2; }
npx tsx bin/timbre.ts calibrate --enrol training/lists/v2-calib-v1.enrol.tsv --trials training/lists/v2-calib-v1.trials.tsv \
  --root training/work/eval/calib --enrol training/lists/v2-calib.enrol.tsv --trials training/lists/v2-calib.trials.tsv \
  --root training/work/eval/v2-calib --duration --model "$1" --in-place
