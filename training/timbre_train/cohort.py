"""AS-norm cohort (and mean vector) from the *training* speakers: one embedding per voice and channel.

Usage: /usr/bin/python3 -m timbre_train.cohort --ckpt training/work/ckpt/final.pt --out models/timbre-default.cohort.json
For every real (non-synthetic) training voice at speed 1.0, the clean copy and one call copy (v1's mu-law + noise,
v2's first drawn call channel) give one embedding each, from up to 10 s of their stored fbank, windowed as the card prescribes. Training speakers are never
evaluation or calibration speakers, so the cohort does not leak held-out data.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from .evaluate import Embedder, load_model

HERE = os.path.dirname(os.path.abspath(__file__))
COHORT_AUGS = ("clean", "mulaw+noise", "call-0")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(HERE), "work"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--mean-out", help="also write the mean of the cohort embeddings (a JSON array) here")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    emb = Embedder(load_model(a.ckpt))
    fdir = os.path.join(a.work, "feats")
    idx = json.load(open(os.path.join(fdir, "index.json")))
    total = sum(it["frames"] for it in idx["items"])
    feats = np.memmap(os.path.join(fdir, "feats.f16"), dtype=np.float16, mode="r", shape=(total, 80))
    out = []
    for it in idx["items"]:
        if it["cls"] != it["voice"] or it["voice"].startswith("syn-") or it["aug"] not in COHORT_AUGS:
            continue
        n = min(it["frames"], 1000)
        start = it["offset"] + (it["frames"] - n) // 2
        e = emb.embed_feats(np.asarray(feats[start:start + n], np.float32))
        out.append([round(float(v), 5) for v in e])
    with open(a.out, "w") as fh:
        json.dump(out, fh)
    if a.mean_out:
        with open(a.mean_out, "w") as fh:
            json.dump([round(float(v), 6) for v in np.mean(np.array(out), axis=0)], fh)
    print(f"{len(out)} cohort embeddings -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
