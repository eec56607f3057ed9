"""Countermeasure metrics in ISO/IEC 30107-3 terms, the reference for `timbre eval-spoof`.

Scores are spoof risks (higher = more likely spoof). A trial is called a spoof when its risk is at or above the
threshold: BPCER is the share of bona fide trials called spoof, APCER (per attack) the share of spoof trials let
through. EER is where the two rates cross, over all attacks pooled.
"""
import csv
from typing import Dict, List, Sequence, Tuple

import numpy as np


def read_list(path: str) -> List[Tuple[str, str, str]]:
    """`file<TAB>bonafide|spoof<TAB>attack-or-source` lines (no header); '#' lines are comments."""
    rows = []
    with open(path, newline="") as f:
        for n, line in enumerate(csv.reader(f, delimiter="\t"), 1):
            if not line or line[0].startswith("#"):
                continue
            if len(line) != 3 or line[1] not in ("bonafide", "spoof"):
                raise ValueError(f"{path}:{n}: expected file<TAB>bonafide|spoof<TAB>attack")
            rows.append((line[0], line[1], line[2]))
    return rows


def eer(bonafide: Sequence[float], spoof: Sequence[float]) -> float:
    """Equal error rate with risks as scores: sweep every threshold, return the mean of the rates where they cross."""
    b = np.sort(np.asarray(bonafide, dtype=np.float64))
    s = np.sort(np.asarray(spoof, dtype=np.float64))
    if len(b) == 0 or len(s) == 0:
        raise ValueError("EER needs bona fide and spoof trials")
    thresholds = np.concatenate([b, s, [np.inf]])
    thresholds.sort()
    bpcer = 1.0 - np.searchsorted(b, thresholds, side="left") / len(b)    # bona fide at or above t
    apcer = np.searchsorted(s, thresholds, side="left") / len(s)          # spoof below t
    i = int(np.argmin(np.abs(bpcer - apcer)))
    return float((bpcer[i] + apcer[i]) / 2)


def rates(rows: Sequence[Tuple[str, str, str]], risks: Sequence[float], threshold: float = 50.0) -> Dict:
    """{eer, bpcer, apcer: {attack: rate}, counts: {bonafide, spoof}} as fractions, like `timbre eval-spoof --json`."""
    bona = [r for (_, label, _), r in zip(rows, risks) if label == "bonafide"]
    spoof = [r for (_, label, _), r in zip(rows, risks) if label == "spoof"]
    by_attack: Dict[str, List[float]] = {}
    for (_, label, attack), r in zip(rows, risks):
        if label == "spoof":
            by_attack.setdefault(attack, []).append(r)
    return {
        "eer": eer(bona, spoof),
        "bpcer": float(np.mean(np.asarray(bona) >= threshold)),
        "apcer": {a: float(np.mean(np.asarray(v) < threshold)) for a, v in sorted(by_attack.items())},
        "counts": {"bonafide": len(bona), "spoof": len(spoof)},
    }
