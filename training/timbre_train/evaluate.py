"""Python evaluation (the reference for `timbre eval`): embeddings as the card prescribes, EER, minDCF, FAR/FRR.

Usage:
  /usr/bin/python3 -m timbre_train.evaluate --ckpt training/work/ckpt/final.pt --all [--calibration FILE]
  /usr/bin/python3 -m timbre_train.evaluate --ckpt ... --enrol E.tsv --trials T.tsv --root DIR
  /usr/bin/python3 -m timbre_train.evaluate --ckpt ... --fit-calibration OUT.json   (fits on lists/calib.*)
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from . import audio
from .model import EcapaLite

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
WINDOW_FRAMES, HOP_FRAMES, MIN_FRAMES = 300, 150, 50   # card windowing: 3.0 s windows, 1.5 s hop, 0.5 s minimum

# (name, enrol list, trial list, root under work/eval) evaluated in both channels
SETS = [("held-out-long", "long.enrol.tsv", "long.all.trials.tsv", "long"),
        ("held-out-long-same-language", "long.enrol.tsv", "long.same-lang.trials.tsv", "long"),
        ("held-out-long-cross-language", "long.enrol.tsv", "long.cross-lang.trials.tsv", "long"),
        ("held-out-short-librispeech", "librispeech.enrol.tsv", "librispeech.trials.tsv", "librispeech"),
        ("held-out-short-speech-commands", "speech-commands.enrol.tsv", "speech-commands.trials.tsv", "speech-commands")]


def load_model(ckpt_path: str) -> torch.nn.Module:
    ck = torch.load(ckpt_path, map_location="cpu")
    cfg = ck["config"]
    model = EcapaLite(channels=cfg["channels"], emb_dim=cfg["emb_dim"])
    model.load_state_dict(ck["model"])
    return model.eval()


class Embedder:
    def __init__(self, model: torch.nn.Module):
        self.model = model
        self.cache = {}

    @torch.no_grad()
    def embed_feats(self, f: np.ndarray) -> np.ndarray:
        """Windowed embedding of one fbank matrix [T, 80]: mean of L2-normalised window embeddings."""
        if len(f) < MIN_FRAMES:
            raise ValueError(f"audio shorter than {MIN_FRAMES} frames")
        starts = [0] if len(f) <= WINDOW_FRAMES else list(range(0, len(f) - WINDOW_FRAMES + 1, HOP_FRAMES))
        if starts[-1] + WINDOW_FRAMES < len(f):   # a tail the last hop misses gets a window aligned to the end
            starts.append(len(f) - WINDOW_FRAMES)
        wins = [f[s: s + WINDOW_FRAMES] for s in starts]
        wins = [w - w.mean(axis=0, keepdims=True) for w in wins]
        e = self.model(torch.from_numpy(np.stack(wins).astype(np.float32))).numpy()
        e /= np.linalg.norm(e, axis=1, keepdims=True)
        m = e.mean(axis=0)
        return m / np.linalg.norm(m)

    def embed_files(self, paths) -> np.ndarray:
        key = tuple(paths)
        if key not in self.cache:
            x = np.concatenate([audio.load(p) for p in paths])   # files on one enrolment line are enrolled together
            self.cache[key] = self.embed_feats(audio.fbank(x))
        return self.cache[key]


def read_lists(enrol_tsv: str, trials_tsv: str):
    enrol = {}
    for line in open(enrol_tsv):
        parts = line.rstrip("\n").split("\t")
        enrol[parts[0]] = parts[1:]
    trials = [tuple(line.rstrip("\n").split("\t")) for line in open(trials_tsv) if line.strip()]
    return enrol, trials


def score(emb: Embedder, enrol_tsv: str, trials_tsv: str, root: str, cohort: np.ndarray = None, top_n: int = 100):
    """Cosine scores (or AS-norm scores when a cohort [N, D] of L2-normalised embeddings is given) and labels."""
    enrol, trials = read_lists(enrol_tsv, trials_tsv)
    s, y = [], []
    stats = {}

    def side(key, v):   # mean and std of the top-N cohort scores of one side (adaptive S-norm)
        if key not in stats:
            top = np.sort(cohort @ v)[-top_n:]
            stats[key] = (top.mean(), top.std() + 1e-6)
        return stats[key]

    for spk, f, lab in trials:
        e = emb.embed_files([os.path.join(root, p) for p in enrol[spk]])
        p = emb.embed_files([os.path.join(root, f)])
        c = float(e @ p)
        if cohort is not None:
            me, se = side(("e", spk), e)
            mp, sp = side(("p", f), p)
            c = 0.5 * ((c - me) / se + (c - mp) / sp)
        s.append(c)
        y.append(lab == "target")
    return np.array(s), np.array(y, bool)


def eer_and_mindcf(s: np.ndarray, y: np.ndarray, p_targets=(0.01, 0.05)):
    order = np.argsort(-s)
    ys = y[order]
    nt, nn = ys.sum(), (~ys).sum()
    # threshold just below each sorted score: accept the first k
    fa = np.concatenate([[0], np.cumsum(~ys)]) / nn
    miss = 1 - np.concatenate([[0], np.cumsum(ys)]) / nt
    i = np.argmin(np.abs(fa - miss))
    eer = float((fa[i] + miss[i]) / 2)
    dcfs = {}
    for p in p_targets:
        c = p * miss + (1 - p) * fa
        dcfs[p] = float(c.min() / min(p, 1 - p))
    return eer, dcfs


def to_score100(s: np.ndarray, a: float, b: float) -> np.ndarray:
    return np.round(100.0 / (1.0 + np.exp(-(a * s + b))))


def far_frr(s, y, a, b, threshold):
    v = to_score100(s, a, b)
    return float(np.mean(v[~y] >= threshold)), float(np.mean(v[y] < threshold))


def fit_logistic(s: np.ndarray, y: np.ndarray, iters: int = 50):
    """Prior-weighted (0.5) logistic regression llr = a*s + b, Newton's method (as in BOSARIS / Brümmer)."""
    w = np.where(y, 0.5 / y.sum(), 0.5 / (~y).sum())
    X = np.stack([s, np.ones_like(s)], axis=1)
    theta = np.array([10.0, -5.0])
    t = y.astype(float)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(X @ theta)))
        g = X.T @ (w * (p - t))
        H = (X * (w * p * (1 - p))[:, None]).T @ X + 1e-9 * np.eye(2)
        theta -= np.linalg.solve(H, g)
    return float(theta[0]), float(theta[1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--work", default=os.path.join(TRAINING, "work"))
    ap.add_argument("--lists", default=os.path.join(TRAINING, "lists"))
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--enrol")
    ap.add_argument("--trials")
    ap.add_argument("--root")
    ap.add_argument("--calibration", help="JSON {a, b} for FAR/FRR at 90 and 50")
    ap.add_argument("--fit-calibration", help="fit on lists/calib.* and write {a, b, fittedOn} here")
    ap.add_argument("--out", help="write results JSON here")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cohort", help="JSON array of cohort embeddings: score with AS-norm")
    ap.add_argument("--top-n", type=int, default=100)
    ap.add_argument("--compare-cohort", action="store_true",
                    help="with --cohort: print calibration-set EER/minDCF with plain cosine and with AS-norm")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    emb = Embedder(load_model(a.ckpt))
    cohort = None
    if a.cohort:
        cohort = np.array(json.load(open(a.cohort)), np.float32)
        cohort /= np.linalg.norm(cohort, axis=1, keepdims=True)
    if a.compare_cohort:
        for c in [None, cohort]:
            s, y = score(emb, f"{a.lists}/calib.enrol.tsv", f"{a.lists}/calib.trials.tsv", f"{a.work}/eval/calib", c, a.top_n)
            eer, dcf = eer_and_mindcf(s, y)
            print(json.dumps({"scoring": "cosine" if c is None else f"as-norm top {a.top_n}", "eer": round(eer, 4),
                              "minDcf01": round(dcf[0.01], 4), "targets": int(y.sum()), "nontargets": int((~y).sum())}))
        return 0
    if a.fit_calibration:
        s, y = score(emb, f"{a.lists}/calib.enrol.tsv", f"{a.lists}/calib.trials.tsv", f"{a.work}/eval/calib",
                     cohort, a.top_n)
        ca, cb = fit_logistic(s, y)
        eer, _ = eer_and_mindcf(s, y)
        out = {"kind": "logistic", "a": round(ca, 4), "b": round(cb, 4),
               "fittedOn": f"training/lists/calib.*: {len(set(x.split('@')[0] for x in read_lists(f'{a.lists}/calib.enrol.tsv', f'{a.lists}/calib.trials.tsv')[0]))} "
                           f"held-out speakers (6 long-audio voices, 25 LibriSpeech, 20 Speech Commands) disjoint from "
                           f"training and evaluation, 16 kHz and 8 kHz mu-law pooled, {int(y.sum())} target / "
                           f"{int((~y).sum())} nontarget trials, prior-weighted logistic regression (EER there {eer:.4f})"}
        with open(a.fit_calibration, "w") as fh:
            json.dump(out, fh, indent=2)
        print(json.dumps(out, indent=2))
        return 0
    cal = json.load(open(a.calibration)) if a.calibration else None
    jobs = []
    if a.all:
        for name, e, t, r in SETS:
            for cond in ["16k", "8k"]:
                jobs.append((name, cond, f"{a.lists}/{e}", f"{a.lists}/{t}", f"{a.work}/eval/{r}/{cond}"))
    else:
        jobs.append(("custom", "", a.enrol, a.trials, a.root))
    results = []
    for name, cond, e, t, r in jobs:
        s, y = score(emb, e, t, r, cohort, a.top_n)
        eer, dcf = eer_and_mindcf(s, y)
        row = {"set": name, "condition": cond, "eer": round(eer, 4), "minDcf01": round(dcf[0.01], 4),
               "minDcf05": round(dcf[0.05], 4), "targets": int(y.sum()), "nontargets": int((~y).sum())}
        if cal:
            row["farAt90"], row["frrAt90"] = [round(v, 4) for v in far_frr(s, y, cal["a"], cal["b"], 90)]
            row["farAt50"], row["frrAt50"] = [round(v, 4) for v in far_frr(s, y, cal["a"], cal["b"], 50)]
        results.append(row)
        print(json.dumps(row), flush=True)
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
