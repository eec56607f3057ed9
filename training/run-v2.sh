#!/usr/bin/env bash
# Train timbre-spk-v2 (issue 12) from scratch on the v2 split's training speakers, then measure it where v1 was:
#   training/run-v2.sh --data-root DIR [--debian-root /] [--minutes 600] [--channels 192] [--device cpu|cuda] [--resume]
#   training/run-v2.sh --data-root DIR --smoke     # 8 voices, 2 minutes of training, stops after the checkpoint
#   training/run-v2.sh --data-root DIR --quick [--minutes 25]   # v1's weights fine-tuned on the quick feature set
#     (clean + 3 calls + 1 wide copy, no speed classes, 120 s a voice); model and numbers stay in training/work/v2q
#   training/run-v2.sh --data-root DIR --medium [--minutes 50]  # after --quick: v2q's weights fine-tuned on a larger
#     set (clean + 5 calls + 1 wide copy, 180 s a voice); model and numbers stay in training/work/v2m
# Steps: held-out lists (must equal the committed ones) -> held-out audio -> augmented training fbank -> training
# (speaker-balanced) -> ONNX export as models/timbre-spk-v2.{onnx,json} -> `timbre calibrate` on v2's calibration
# lists (duration-aware), plain and with AS-norm -> `timbre eval` on v1's and v2's held-out sets into each card -> a
# side-by-side table with v1. Intermediate files: training/work/v2/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-/usr/bin/python3}"   # on a GPU machine: PY=/path/to/venv/bin/python (a CUDA build of torch)
DATA_ROOT=""; DEBIAN_ROOT="/"; MINUTES=""; CHANNELS=192; DEVICE=cpu; RESUME=""; SMOKE=""; QUICK=""; MEDIUM=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) DATA_ROOT="$2"; shift 2;;
    --debian-root) DEBIAN_ROOT="$2"; shift 2;;
    --minutes) MINUTES="$2"; shift 2;;
    --channels) CHANNELS="$2"; shift 2;;
    --device) DEVICE="$2"; shift 2;;
    --resume) RESUME="--resume"; shift;;
    --smoke) SMOKE=1; shift;;
    --quick) QUICK=1; shift;;
    --medium) MEDIUM=1; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$DATA_ROOT" ] || { echo "usage: training/run-v2.sh --data-root DIR [--debian-root /] [--minutes 600] [--channels 192] [--device cpu|cuda] [--resume | --smoke | --quick | --medium]" >&2; exit 2; }
WORK=training/work/v2; LIMIT=""; PREP=""; START=""; MODELS=models; NAME=timbre-spk-v2
if [ -n "$SMOKE" ]; then WORK=training/work/v2-smoke; LIMIT="--limit 8"; MINUTES=2; fi
if [ -n "$QUICK" ]; then
  WORK=training/work/v2q; PREP="--channel-copies 3 --no-speeds --max-seconds 120"; MINUTES="${MINUTES:-25}"; CHANNELS=128
  START="--warm-start models/timbre-default.onnx --peak-lr 1e-3"; MODELS="$WORK/models"; NAME=timbre-spk-v2q
fi
if [ -n "$MEDIUM" ]; then
  [ -f training/work/v2q/models/timbre-spk-v2q.onnx ] || { echo "--medium starts from --quick's model: run --quick first" >&2; exit 1; }
  WORK=training/work/v2m; PREP="--channel-copies 5 --no-speeds --max-seconds 180"; MINUTES="${MINUTES:-50}"; CHANNELS=128
  START="--warm-start training/work/v2q/models/timbre-spk-v2q.onnx --peak-lr 1e-3"; MODELS="$WORK/models"; NAME=timbre-spk-v2m
fi
MINUTES="${MINUTES:-600}"
mkdir -p "$WORK"

# 1. The held-out sets were fixed before training: regenerating them must change nothing that is committed.
$PY -m training.timbre_train.v2_sets --data-root "$DATA_ROOT"
git diff --quiet -- training/lists || { echo "training/lists differ from the committed held-out sets; stop" >&2; exit 1; }
$PY -m training.timbre_train.v2_audio --data-root "$DATA_ROOT" 2>&1 | tee "$WORK/audio.log"
# 2. Training features (resumable: kept when they exist).
if [ ! -f "$WORK/feats/index.json" ]; then
  $PY -m training.timbre_train.v2_prep --data-root "$DATA_ROOT" --debian-root "$DEBIAN_ROOT" --work "$WORK" $LIMIT $PREP 2>&1 | tee "$WORK/prep.log"
fi
# 3. Training: ECAPA-lite at --channels (192: 1.29 M parameters), AAM-softmax, speaker-balanced draws.
$PY -m training.timbre_train.train --work "$WORK" --minutes "$MINUTES" --channels "$CHANNELS" --balance sqrt-seconds \
  --device "$DEVICE" --ckpt-minutes "$([ -n "$SMOKE" ] && echo 1 || echo 5)" $START $RESUME 2>&1 | tee -a "$WORK/train.log"
if [ -n "$SMOKE" ]; then ls -l "$WORK/ckpt"; echo "smoke run done: $WORK/ckpt/final.pt"; exit 0; fi
# 4. Export, calibrate on v2's calibration speakers (never evaluated), evaluate.
LICENCE="CC-BY-4.0 (weights). Trained only on CC BY 4.0 audio (LibriSpeech train-clean-100 subset and Mini LibriSpeech \
train-clean-5, (c) 2014 Vassil Panayotov et al.; Google Speech Commands v0.02 test set, Warden 2018), CC0 1.0 Mozilla \
Common Voice clips, CC BY 3.0 Asterisk prompts (it: Carlo Flora; ru: ivrvoice.ru / Maxim Topal), the BSD-like \
festvox-ru recordings (Nickolay Shmyrev) and synthetic flite/espeak-ng speech; no GPL, CC BY-SA or GFDL audio."
$PY -m training.timbre_train.export --ckpt "$WORK/ckpt/final.pt" --name "$NAME" --id "$NAME" --cohort "" --models "$MODELS" \
  --feats "$WORK/feats/index.json" --licence "$LICENCE" --vector "$WORK/$NAME.vector.json"
# The same network with AS-norm: a cohort of the training voices (clean + first call copy), named in a copy of the card.
$PY -m training.timbre_train.cohort --ckpt "$WORK/ckpt/final.pt" --work "$WORK" --out "$MODELS/$NAME.cohort.json"
$PY -c "import json, sys; c = json.load(open(sys.argv[1])); c['id'] += '-asnorm'; c['scoring']['cohort'] = sys.argv[2]
json.dump(c, open(sys.argv[3], 'w'), indent=2)" "$MODELS/$NAME.json" "$NAME.cohort.json" "$MODELS/$NAME-asnorm.json"
for CARD in "$MODELS/$NAME.json" "$MODELS/$NAME-asnorm.json"; do
  # Duration-aware, on both calibration lists pooled with equal weight (v1's needs `python3 -m timbre_train.prep
  # --skip-train`'s audio, and `git diff training/lists` empty afterwards: see training/README.md).
  training/calibrate.sh "$CARD"
  # v1's held-out sets and v2's, every row with its `timbre eval` command, into the card's evaluation
  $PY -m training.timbre_train.cli_eval --model "$CARD" --sets v1,v2 --into-card --out "${CARD%.json}.cli-results.json"
done
$PY -m training.timbre_train.compare_cards models/timbre-default.json "$MODELS/$NAME.json" "$MODELS/$NAME-asnorm.json"
echo "models: $MODELS/$NAME{,-asnorm}.json (cards with their numbers); v1's: models/timbre-default.json"
