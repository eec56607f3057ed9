"""Export the countermeasure to ONNX, check it against PyTorch in onnxruntime-node, write the card (timbre-cm-card/1).

Usage: /usr/bin/python3 -m timbre_train.cm_export --ckpt training/work/cm-ckpt/final.pt
       [--calibration CAL.json] [--measured MEASURED.json] [--card-only]
Input `feats` [B, T, 80] raw log-mel frames (dynamic B and T), output `logits` [B] (positive = spoof).
The card's "features" object is copied from the speaker card (models/timbre-default.json): one shared front end.
--calibration: {"a", "b", "fittedOn"}; --measured: {"<list name>": {eer, bpcer, apcer, counts, command}}.
Without them the values already in the card are kept (for the same ONNX), else identity calibration.
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

from . import cm_split
from .cm_model import CmNet, count_parameters

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODEL_ID = "timbre-cm-v1"

PARITY_JS = r"""
const ort = require('onnxruntime-node');
const v = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
ort.InferenceSession.create(process.argv[2], { intraOpNumThreads: 1 }).then(async (s) => {
  const out = await s.run({ feats: new ort.Tensor('float32', Float32Array.from(v.feats), v.dims) });
  const got = Array.from(out.logits.data);
  console.log(JSON.stringify({ inputs: s.inputNames, outputs: s.outputNames, dims: out.logits.dims, got }));
});
"""


def load(ckpt: str) -> CmNet:
    return from_checkpoint(torch.load(ckpt, map_location="cpu"))


def from_checkpoint(ckpt: dict) -> CmNet:
    model = CmNet()
    model.load_state_dict(ckpt["model"])
    return model.eval()


def export_onnx(model: CmNet, path: str) -> None:
    torch.onnx.export(model, torch.randn(2, 300, 80), path, input_names=["feats"], output_names=["logits"],
                      opset_version=14, dynamic_axes={"feats": {0: "B", 1: "T"}, "logits": {0: "B"}},
                      do_constant_folding=True)


def parity(model: CmNet, onnx_path: str) -> float:
    """Max |torch - onnxruntime-node| on random log-mel-like input of two odd lengths; raises if it does not load."""
    worst = 0.0
    for frames in (101, 437):
        x = (torch.randn(3, frames, 80) * 3 + 8).float()
        with torch.no_grad():
            want = model(x).numpy()
        with tempfile.TemporaryDirectory() as tmp:
            vec = os.path.join(tmp, "v.json")
            with open(vec, "w") as fh:
                json.dump({"feats": x.reshape(-1).tolist(), "dims": list(x.shape)}, fh)
            out = subprocess.run(["node", "-e", PARITY_JS, vec, onnx_path], cwd=REPO, check=True,
                                 capture_output=True, text=True).stdout
        res = json.loads(out)
        if res["inputs"] != ["feats"] or res["outputs"] != ["logits"] or res["dims"] != [3]:
            raise RuntimeError(f"unexpected ONNX interface: {res['inputs']} -> {res['outputs']} {res['dims']}")
        worst = max(worst, float(np.abs(np.array(res["got"]) - want).max()))
    return worst


def held_out() -> dict:
    def names(role):
        return [f"{e}-{s}" for e, ss in cm_split.ATTACKS[role].items() for s in ss]
    ev = names("eval")
    return {"engines": [a for a in ev if not a.startswith(("vocoder-", "replay-"))],
            "vocoders": [a for a in ev if a.startswith(("vocoder-", "replay-"))],
            "calibrationAttacks": names("calib"),
            "speakers": ("whole speakers, fixed before training in training/timbre_train/cm_split.py: Mini LibriSpeech "
                         f"{sorted(cm_split.LS_EVAL)} (eval) and {sorted(cm_split.LS_CALIB)} (calibration), FSDD "
                         f"{sorted(cm_split.FSDD_EVAL)} (eval, real 8 kHz) and {sorted(cm_split.FSDD_CALIB)} "
                         "(calibration), Asterisk IVR voices "
                         f"{sorted(v for v, r in cm_split.ASTERISK_ROLES.items() if r == 'eval')} (eval, real 8 kHz) and "
                         f"{sorted(v for v, r in cm_split.ASTERISK_ROLES.items() if r == 'calib')} (calibration), "
                         "other LibriSpeech-subset and Common Voice speakers by sha1(speaker) "
                         "(20 % eval, 10 % calibration)")}


LICENCE = ("CC-BY-4.0 (weights). Bona fide training audio: LibriSpeech train-clean-100 subset and Mini LibriSpeech "
           "(CC BY 4.0, Panayotov et al. 2015), Mozilla Common Voice (CC0), Asterisk IVR prompts it_IT Carlo and ru_RU "
           "ivrvoice (CC BY 3.0); spoofs synthesised by espeak-ng and flite or vocoded from those recordings. No CC BY-SA, "
           "GPL or GFDL audio reached training (FSDD and the other Asterisk voices only measure or calibrate).")


def trained_on(ckpt: dict, feats_json: str) -> dict:
    """What the checkpoint saw: attacks, channels, feature-set counts (from the training index) and run length."""
    out = {"attacks": [f"{e}-{s}" for e, ss in cm_split.ATTACKS["train"].items() for s in ss],
           "bonafide": "real crops of the training-role speakers (LibriSpeech, Common Voice) and real 8 kHz IVR "
                       "recordings (Asterisk it Carlo, ru ivrvoice)",
           "steps": int(ckpt["step"]), "minutes": round(float(ckpt["elapsed"]) / 60, 1)}
    if os.path.exists(feats_json):
        items = json.load(open(feats_json))
        out["featureSets"] = {"bonafide": sum(i["label"] == "bonafide" for i in items),
                              "spoof": sum(i["label"] == "spoof" for i in items)}
        out["channels"] = sorted({i["channel"] for i in items})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--models", default=os.path.join(REPO, "models"))
    ap.add_argument("--calibration")
    ap.add_argument("--measured")
    ap.add_argument("--card-only", action="store_true", help="keep the .onnx; rewrite only the card")
    a = ap.parse_args(argv)
    ckpt = torch.load(a.ckpt, map_location="cpu")
    model = from_checkpoint(ckpt)
    onnx_path = os.path.join(a.models, "timbre-cm.onnx")
    card_path = os.path.join(a.models, "timbre-cm.json")
    if not a.card_only:
        export_onnx(model, onnx_path)
    diff = parity(model, onnx_path)
    if diff > 1e-3:
        raise SystemExit(f"ONNX and PyTorch disagree: max abs diff {diff}")
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    old = json.load(open(card_path)) if os.path.exists(card_path) else {}
    same = old.get("sha256") == sha
    cal = ({"kind": "logistic", **json.load(open(a.calibration))} if a.calibration
           else old.get("calibration") if same else
           {"kind": "logistic", "a": 1.0, "b": 0.0, "fittedOn": "identity (not fitted)"})
    measured = json.load(open(a.measured)) if a.measured else (old.get("measured", {}) if same else {})
    speaker_card = json.load(open(os.path.join(a.models, "timbre-default.json")))
    card = {
        "format": "timbre-cm-card/1", "id": MODEL_ID, "onnx": "timbre-cm.onnx", "sha256": sha,
        "sampleRateHz": 16000, "features": speaker_card["features"],
        "io": {"input": "feats", "output": "logits"},
        "windowing": {"windowSeconds": 4.0, "hopSeconds": 2.0, "minSeconds": 1.0, "pooling": "mean"},
        "calibration": cal, "params": count_parameters(model), "licence": LICENCE,
        "trainedOn": trained_on(ckpt, os.path.join(REPO, "training", "work", "spoof", "train", "feats.json")),
        "heldOut": held_out(), "measured": measured,
    }
    with open(card_path, "w") as fh:
        json.dump(card, fh, indent=2)
        fh.write("\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes, sha256 {sha}, torch/onnxruntime max abs diff "
          f"{diff:.2e}), {card_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
