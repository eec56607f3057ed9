"""Python evaluator for spoof lists (the reference beside `timbre eval-spoof`), and the logistic calibration fit.

Usage: /usr/bin/python3 -m timbre_train.cm_eval --ckpt CKPT [--list training/lists/spoof-eval-8k.tsv --root DIR]
       /usr/bin/python3 -m timbre_train.cm_eval --fit-calibration OUT.json [--scores RUNTIME.tsv | --ckpt CKPT]
--scores: the file `timbre eval-spoof --list training/lists/spoof-calib.tsv --scores RUNTIME.tsv` wrote
(path, label, attack, pooled logit), so a and b are fitted on exactly what the runtime computes.
Scores each file as the runtime does, except that silence is only trimmed at the edges (no VAD): 16 kHz, fbank,
windows of 4 s every 2 s (a tail >= 1 s is one more window; shorter speech is one window), mean of window logits.
Metrics: EER, and BPCER / APCER per attack at risk 50, risk = 100 * sigmoid(a * pooled + b).
"""
import argparse
import json
import os
import sys
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch

from . import audio

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
WORK = os.path.join(TRAINING, "work", "spoof")
WIN, HOP, MIN = 400, 200, 100   # frames (10 ms): windowSeconds 4, hopSeconds 2, minSeconds 1


def read_list(path: str) -> List[Tuple[str, str, str]]:
    rows = []
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] not in ("bonafide", "spoof"):
                raise ValueError(f"{path}:{n}: want path<TAB>bonafide|spoof<TAB>attack, got {line!r}")
            rows.append((parts[0], parts[1], parts[2]))
    return rows


def windows(n: int, win: int, hop: int, min_len: int) -> List[Tuple[int, int]]:
    """The runtime's windowing over n units (frames or samples): full windows, then one tail window if long enough."""
    if n < min_len:
        return []
    if n <= win:
        return [(0, n)]
    out = [(s, s + win) for s in range(0, n - win + 1, hop)]
    nxt = out[-1][0] + hop
    if out[-1][1] < n and n - nxt >= min_len:
        out.append((nxt, n))
    return out


def timbre_scorer(ckpt: str) -> Callable[[np.ndarray], float]:
    from .cm_export import load
    model = load(ckpt)

    def score(x16: np.ndarray) -> float:
        f = audio.fbank(x16)
        ws = windows(len(f), WIN, HOP, MIN)
        if not ws:
            return float("nan")
        with torch.no_grad():
            return float(np.mean([float(model(torch.from_numpy(f[s:e])[None])[0]) for s, e in ws]))
    return score


def score_list(score: Callable[[np.ndarray], float], rows, root: str) -> List[Tuple[float, str, str]]:
    out = []
    for path, label, attack in rows:
        s = score(audio.trim(audio.load(os.path.join(root, path))))
        if not np.isnan(s):
            out.append((s, label, attack))
    return out


def eer(bona: np.ndarray, spoof: np.ndarray) -> float:
    """Equal error rate with spoof scored high: the crossing of BPCER(t) and APCER(t) over all thresholds."""
    ts = np.sort(np.concatenate([bona, spoof]))
    bp = np.array([(bona >= t).mean() for t in ts])
    ap = np.array([(spoof < t).mean() for t in ts])
    i = int(np.argmin(np.abs(bp - ap)))
    return float((bp[i] + ap[i]) / 2)


def metrics(scored, a: float = 1.0, b: float = 0.0) -> Dict:
    s = np.array([x[0] for x in scored])
    lab = np.array([x[1] for x in scored])
    att = np.array([x[2] for x in scored])
    risk = 100 / (1 + np.exp(-(a * s + b)))
    bona, spoof = lab == "bonafide", lab == "spoof"
    flagged = np.round(risk) >= 50
    return {"eer": round(eer(s[bona], s[spoof]), 4), "bpcer": round(float(flagged[bona].mean()), 4),
            "apcer": {k: round(float((~flagged[spoof & (att == k)]).mean()), 4) for k in sorted(set(att[spoof]))},
            "counts": {"bonafide": int(bona.sum()), "spoof": int(spoof.sum())},
            "bonafideSources": {k: {"count": int((bona & (att == k)).sum()),
                                    "bpcer": round(float(flagged[bona & (att == k)].mean()), 4)}
                                for k in sorted(set(att[bona])) if k != "-"}}


def read_scores(path: str) -> List[Tuple[float, str, str]]:
    """The runtime's per-file pooled logits (eval-spoof --scores): path, label, attack, logit."""
    out = []
    with open(path) as fh:
        for line in fh:
            p, label, attack, logit = line.rstrip("\n").split("\t")
            out.append((float(logit), label, attack))
    return out


def fit_logistic(scored) -> Tuple[float, float]:
    """a, b maximising the likelihood of spoof versus bona fide, the classes weighted equally (prior 0.5)."""
    s = torch.tensor([x[0] for x in scored], dtype=torch.float64)
    y = torch.tensor([1.0 if x[1] == "spoof" else 0.0 for x in scored], dtype=torch.float64)
    w = torch.where(y > 0, 0.5 / y.sum(), 0.5 / (1 - y).sum())
    ab = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([ab], max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (w * torch.nn.functional.binary_cross_entropy_with_logits(ab[0] * s + ab[1], y, reduction="none")).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return float(ab[0]), float(ab[1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt")
    p.add_argument("--scores", help="runtime pooled logits (eval-spoof --scores) for --fit-calibration")
    p.add_argument("--list", action="append")
    p.add_argument("--root", action="append")
    p.add_argument("--fit-calibration", help="fit a, b on spoof-calib.tsv and write them to this JSON")
    p.add_argument("--a", type=float, default=1.0)
    p.add_argument("--b", type=float, default=0.0)
    a = p.parse_args(argv)
    if a.fit_calibration:
        if a.scores:
            scored, how = read_scores(a.scores), "timbre eval-spoof --scores on it (the runtime path, VAD included)"
        elif a.ckpt:
            lst = os.path.join(TRAINING, "lists", "spoof-calib.tsv")
            scored = score_list(timbre_scorer(a.ckpt), read_list(lst), os.path.join(WORK, "calib"))
            how = "python3 -m timbre_train.cm_eval (edge-trimmed, no VAD)"
        else:
            raise SystemExit("--fit-calibration needs --scores or --ckpt")
        ca, cb = fit_logistic(scored)
        if ca <= 0:
            raise SystemExit(f"calibration slope {ca} is not positive: the model ranks calibration data backwards")
        n_b = sum(1 for x in scored if x[1] == "bonafide")
        cal = {"a": round(ca, 6), "b": round(cb, 6),
               "fittedOn": f"training/lists/spoof-calib.tsv: {n_b} bona fide + {len(scored) - n_b} spoof files "
                           "(held-out speakers; attacks in neither training nor evaluation), 16 kHz and 8 kHz pooled; "
                           f"logistic fit, classes weighted equally, of the pooled logits from {how}"}
        with open(a.fit_calibration, "w") as fh:
            json.dump(cal, fh, indent=2)
        print(json.dumps({"calibration": cal, "calib": metrics(scored, ca, cb)}))
        return 0
    if not a.ckpt:
        raise SystemExit("scoring lists needs --ckpt")
    score = timbre_scorer(a.ckpt)
    lists = a.list or [os.path.join(TRAINING, "lists", f"spoof-{n}.tsv") for n in ("eval-16k", "eval-8k")]
    roots = a.root or [os.path.join(WORK, n) for n in ("eval-16k", "eval-8k")]
    out = {}
    for lst, root in zip(lists, roots):
        out[os.path.basename(lst)] = metrics(score_list(score, read_list(lst), root), a.a, a.b)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
