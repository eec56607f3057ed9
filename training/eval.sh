#!/usr/bin/env bash
# Evaluate a model card on every held-out set, 16 kHz and 8 kHz mu-law, with Timbre's own CLI (`timbre eval`), as the
# card's numbers were made. Needs training/work/eval from `python3 -m timbre_train.prep` (run.sh does it).
#   training/eval.sh [CARD]    (default models/timbre-default.json) -> training/work/cli-results.json
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 -m training.timbre_train.cli_eval --model "${1:-models/timbre-default.json}" --out training/work/cli-results.json
