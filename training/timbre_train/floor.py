"""The no-training floor: what a speaker "embedding" with nothing learned scores on a trial list.

Usage: /usr/bin/python3 -m training.timbre_train.floor --enrol E.tsv --trials T.tsv --root DIR
Each recording (the files of an enrolment line together) becomes the mean and standard deviation of 20 MFCCs
(c1-c20 of torchaudio's Kaldi MFCC at 16 kHz, c0 left out so the level does not count) and of their deltas, 80
numbers; the mean of every recording's vector in the list is removed, and a trial's score is the cosine. No VAD (the
v2 sets' audio has its pauses squeezed already). The scores are not LLRs, so only EER, minDCF and minCllr (its best
monotone calibration, pool-adjacent-violators as `timbre eval`'s minCllr) mean anything.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torchaudio

from . import audio
from .evaluate import eer_and_mindcf, read_lists

N_MFCC = 20


def mfcc_stats(x: np.ndarray) -> np.ndarray:
    wav = torch.from_numpy(x.astype(np.float32) * audio.SAMPLE_SCALE)[None]
    c = torchaudio.compliance.kaldi.mfcc(wav, num_ceps=N_MFCC + 1, num_mel_bins=40, use_energy=False, dither=0.0,
                                         sample_frequency=float(audio.SAMPLE_RATE_HZ))[:, 1:]
    d = torchaudio.functional.compute_deltas(c.T[None])[0].T
    return torch.cat([c.mean(0), c.std(0), d.mean(0), d.std(0)]).numpy()


def min_cllr(s: np.ndarray, y: np.ndarray) -> float:
    """Cllr (bits) after the best monotone map of scores to LLRs (pool-adjacent-violators, ties in one block)."""
    order = np.argsort(s, kind="stable")
    s, y = s[order], y[order]
    blocks = []   # [targets, count]
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        blocks.append([int(y[i:j].sum()), j - i])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            t, n = blocks.pop()
            blocks[-1][0] += t
            blocks[-1][1] += n
        i = j
    prior = np.log(y.sum() / (~y).sum())
    tgt, non = [], []
    with np.errstate(divide="ignore"):
        for t, n in blocks:
            llr = np.log(t / (n - t)) - prior if 0 < t < n else (np.inf if t == n else -np.inf)
            tgt += [llr] * t
            non += [llr] * (n - t)
    tgt, non = np.array(tgt), np.array(non)
    return float(0.5 * (np.mean(np.logaddexp(0, -tgt)) + np.mean(np.logaddexp(0, non))) / np.log(2))


def floor_scores(enrol_tsv: str, trials_tsv: str, root: str):
    enrol, trials = read_lists(enrol_tsv, trials_tsv)
    keys = {("e", spk): enrol[spk] for spk, _, _ in trials} | {("p", f): [f] for _, f, _ in trials}
    vec = {k: mfcc_stats(np.concatenate([audio.load(os.path.join(root, f)) for f in files]))
           for k, files in keys.items()}
    mean = np.mean(list(vec.values()), axis=0)
    unit = {k: (v - mean) / (np.linalg.norm(v - mean) + 1e-12) for k, v in vec.items()}
    s = np.array([float(unit[("e", spk)] @ unit[("p", f)]) for spk, f, _ in trials])
    return s, np.array([lab == "target" for _, _, lab in trials])


def floor_metrics(enrol_tsv: str, trials_tsv: str, root: str) -> dict:
    s, y = floor_scores(enrol_tsv, trials_tsv, root)
    eer, dcf = eer_and_mindcf(s, y)
    return {"eer": round(eer, 4), "minDcf01": round(dcf[0.01], 4), "minDcf05": round(dcf[0.05], 4),
            "minCllr": round(min_cllr(s, y), 4), "targets": int(y.sum()), "nontargets": int((~y).sum())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enrol", required=True)
    ap.add_argument("--trials", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args(argv)
    print(json.dumps(floor_metrics(a.enrol, a.trials, a.root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
