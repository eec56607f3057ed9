"""Export the trained embedder to ONNX, write the model card (timbre-model-card/1) and the parity test vector.

Usage: /usr/bin/python3 -m timbre_train.export --ckpt training/work/ckpt/final.pt [--calibration C.json]
       [--results R.json] [--models models] [--vector test/fixtures/models/timbre-default.vector.json]
Input `feats` [B, T, 80] (dynamic B, T), output `embs` [B, D]. The card is models/timbre-default.json.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

from . import audio
from .evaluate import load_model
from .model import count_parameters

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODEL_ID = "timbre-spk-v1"
LICENCE = ("CC-BY-4.0 (weights). Trained only on CC BY 4.0 data (LibriSpeech train-clean-100 subset, (c) 2014 Vassil "
           "Panayotov et al.; Google Speech Commands v0.02 test set, Warden 2018), CC BY 3.0 Asterisk prompts "
           "(it: Carlo Flora; ru: ivrvoice.ru / Maxim Topal), the BSD-like festvox-ru recordings (Nickolay Shmyrev) "
           "and synthetic flite/espeak-ng speech; no GPL, CC BY-SA or GFDL audio reached training.")


def trained_on_text(idx: str = os.path.join(REPO, "training/work/feats/index.json")) -> str:
    """Summarise the training voices by source from the feature index that training read."""
    if not os.path.exists(idx):
        return ""
    index = json.load(open(idx))
    trained = {it["voice"] for it in index["items"]}   # a voice whose audio yielded no frames is not trained on
    by_src = {}
    for v in (v for v in index["voices"] if v["id"] in trained):
        by_src.setdefault((v["source"], v["licence"]), []).append(v["id"])
    parts = [f"{src} ({lic}): {len(ids)} voice{'s' if len(ids) > 1 else ''}"
             + (f" [{', '.join(ids)}]" if len(ids) <= 4 else "") for (src, lic), ids in sorted(by_src.items())]
    # Speed-perturbed copies are classes of their own; a run prepared with --no-speeds has one class per voice.
    classes = len({it["cls"] for it in index["items"]})
    speeds = "x 3 speeds (1.0, 0.9, 1.1) " if classes > len(trained) else ""
    return (f"{len(trained)} training voices {speeds}= {classes} classes; "
            + "; ".join(parts) + ". Speaker-disjoint from every evaluation and calibration speaker "
            + ("(training/lists/v2-split.tsv). Augmented copies: " + ", ".join(sorted({it["aug"] for it in index["items"]}))
               + " (v2_prep.py)." if "seconds" in index["items"][0] else
               "(training/lists/split.tsv). Augmented copies: clean, mu-law + noise, A-law + babble, GSM, reverb + noise, "
               "reverb + quiet mu-law."))


def features_block():
    return {"kind": "kaldi-fbank", "numMelBins": 80, "frameLengthMs": 25, "frameShiftMs": 10, "window": "hamming",
            "sampleScale": 32768, "dither": 0, "preemphasisCoefficient": 0.97, "removeDcOffset": True,
            "rawEnergy": True, "lowFreqHz": 20, "highFreqHz": 0, "snipEdges": True, "useLogFbank": True,
            "usePower": True, "energyFloor": 0, "meanNormalisation": "utterance"}


def export_onnx(model, path: str) -> None:
    dummy = torch.randn(2, 320, 80)
    torch.onnx.export(model, dummy, path, input_names=["feats"], output_names=["embs"], opset_version=14,
                      dynamic_axes={"feats": {0: "B", 1: "T"}, "embs": {0: "B"}}, do_constant_folding=True)


def test_vector(model, path: str, model_id: str = MODEL_ID) -> None:
    """fbank of flite-synthesised speech (no dataset audio in git), rounded, and PyTorch's embedding of it."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "v.wav")
        subprocess.run(["flite", "-voice", "slt", "-t", "Please say your account number after the tone.", "-o", wav],
                       check=True)
        x = audio.load(wav)
    f = audio.fbank(x)[:150]
    f = np.round(f - f.mean(axis=0, keepdims=True), 4).astype(np.float32)
    with torch.no_grad():
        e = model(torch.from_numpy(f)[None]).numpy()[0]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump({"model": model_id, "note": "fbank (mean-normalised) of flite 'slt' saying 'Please say your account "
                   "number after the tone.'; embedding computed by PyTorch from exactly these rounded values",
                   "frames": int(f.shape[0]), "numMelBins": 80,
                   "feats": [round(float(v), 4) for v in f.reshape(-1)], "embedding": [round(float(v), 6) for v in e]}, fh)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--models", default=os.path.join(REPO, "models"))
    ap.add_argument("--name", default="timbre-default")
    ap.add_argument("--id", default=MODEL_ID, help="the card's model id")
    ap.add_argument("--vector", default=os.path.join(REPO, "test/fixtures/models/timbre-default.vector.json"))
    ap.add_argument("--calibration", help="JSON {kind, a, b, fittedOn} from evaluate --fit-calibration")
    ap.add_argument("--results", help="JSON list of evaluation rows (set, condition, eer, ...)")
    ap.add_argument("--trained-on", default="")
    ap.add_argument("--feats", default=os.path.join(REPO, "training/work/feats/index.json"),
                    help="the feature index training read (summarised as the card's trainedOn)")
    ap.add_argument("--licence", default=LICENCE, help="the card's licence text")
    ap.add_argument("--cohort", help="cohort file name (beside the card) for AS-norm; '' for none")
    ap.add_argument("--card-only", action="store_true",
                    help="keep the existing .onnx and test vector; rewrite only the card (evaluation, calibration)")
    a = ap.parse_args(argv)
    model = load_model(a.ckpt)
    ck = torch.load(a.ckpt, map_location="cpu")
    onnx_path = os.path.join(a.models, a.name + ".onnx")
    os.makedirs(a.models, exist_ok=True)
    if not a.card_only:
        export_onnx(model, onnx_path)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    card_path = os.path.join(a.models, a.name + ".json")
    old = json.load(open(card_path)) if os.path.exists(card_path) else {}
    cal = json.load(open(a.calibration)) if a.calibration else (old.get("scoring", {}).get("calibration"))
    if a.cohort == "":
        a.cohort = None
        old.setdefault("scoring", {})["cohort"] = None
    card = {
        "format": "timbre-model-card/1", "id": a.id, "onnx": a.name + ".onnx", "sha256": sha,
        "sampleRateHz": 16000, "features": features_block(),
        "io": {"input": "feats", "output": "embs", "embeddingDim": ck["config"]["emb_dim"]},
        "windowing": {"windowSeconds": 3.0, "hopSeconds": 1.5, "minSeconds": 0.5, "pooling": "mean"},
        "scoring": {"meanVector": old.get("scoring", {}).get("meanVector"),
                    "cohort": a.cohort if a.cohort is not None else old.get("scoring", {}).get("cohort"),
                    "asNormTopN": old.get("scoring", {}).get("asNormTopN", 100),
                    "calibration": cal or {"kind": "logistic", "a": 10.0, "b": -5.0, "fittedOn": "placeholder"}},
        "licence": a.licence, "parameters": count_parameters(model),
        "trainedOn": a.trained_on or trained_on_text(a.feats) or old.get("trainedOn", ""),
        "evaluation": json.load(open(a.results)) if a.results else old.get("evaluation", []),
    }
    # The watchlist calibration (timbre eval-watchlist --fit) belongs to these weights: keep it only for the same ONNX.
    old_watchlist = old.get("scoring", {}).get("watchlistCalibration")
    if old_watchlist is not None and old.get("sha256") == sha:
        card["scoring"]["watchlistCalibration"] = old_watchlist
    with open(card_path, "w") as fh:
        json.dump(card, fh, indent=2)
        fh.write("\n")
    if not a.card_only:
        test_vector(model, a.vector, a.id)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes, sha256 {sha}), {card_path}, {a.vector}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
