"""Train the countermeasure (cm_model.CmNet) on precomputed fbank windows (CPU, resumable).

Usage: /usr/bin/python3 -m timbre_train.cm_train [--minutes 40] [--resume] [--out training/work/cm-ckpt]
Batches are class-balanced (half bona fide, half spoof, spoof attacks uniform) random crops of 1 to 4 s, the
runtime's window lengths. The LR schedule (warm-up + cosine) runs on elapsed / --minutes, so a run under CPU
contention still ends on time. Checkpoints (last.pt) every --ckpt-minutes and at the end (final.pt).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

from .cm_model import CmNet, count_parameters

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(os.path.dirname(HERE), "work")
UPPER_BAND_BIN = 58   # first of the 80 mel bins (20 Hz - 8 kHz) centred above ~3.7 kHz


def log(msg: str) -> None:
    print(f"[cm-train {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class WindowSampler:
    def __init__(self, feat_dir: str, rng: np.random.Generator):
        with open(os.path.join(feat_dir, "feats.json")) as fh:
            self.items = json.load(fh)
        self.feats = np.load(os.path.join(feat_dir, "feats.npy"))
        self.bona = [i for i, it in enumerate(self.items) if it["label"] == "bonafide"]
        by_attack = {}
        for i, it in enumerate(self.items):
            if it["label"] == "spoof":
                by_attack.setdefault(it["attack"], []).append(i)
        self.attacks = [by_attack[k] for k in sorted(by_attack)]
        self.rng = rng

    def _pick(self, label: int) -> int:
        if label == 0:
            return self.bona[int(self.rng.integers(len(self.bona)))]
        pool = self.attacks[int(self.rng.integers(len(self.attacks)))]
        return pool[int(self.rng.integers(len(pool)))]

    def batch(self, n: int):
        frames = int(self.rng.integers(100, 401))
        labels = np.arange(n) % 2
        x = np.empty((n, frames, 80), np.float32)
        for b, lab in enumerate(labels):
            it = self.items[self._pick(int(lab))]
            seg = self.feats[it["offset"]: it["offset"] + it["frames"]]
            if len(seg) >= frames:
                s = int(self.rng.integers(0, len(seg) - frames + 1))
                crop = np.asarray(seg[s: s + frames], np.float32)
            else:
                crop = np.resize(np.asarray(seg, np.float32), (frames, 80))
            if self.rng.random() < 0.3:                        # one masked mel band, so no single band decides
                f0, fw = self.rng.integers(0, 72), self.rng.integers(1, 9)
                crop[:, f0:f0 + fw] = crop[:, f0:f0 + fw].mean()
            if it["channel"] != "wide" and self.rng.random() < 0.5:
                # Above ~3.7 kHz an 8 kHz call holds only resampler leakage: scale its detail so it decides nothing.
                upper = crop[:, UPPER_BAND_BIN:]
                crop[:, UPPER_BAND_BIN:] = upper.mean(0) + (upper - upper.mean(0)) * self.rng.uniform(0.0, 1.5)
            x[b] = crop
        return torch.from_numpy(x), torch.from_numpy(labels.astype(np.float32))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--feats", default=os.path.join(WORK, "spoof", "train"))
    p.add_argument("--out", default=os.path.join(WORK, "cm-ckpt"))
    p.add_argument("--minutes", type=float, default=40.0)
    p.add_argument("--ckpt-minutes", type=float, default=2.0)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--seed", type=int, default=20261202)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    sampler = WindowSampler(a.feats, np.random.default_rng(a.seed))
    model = CmNet()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-3)
    step, elapsed = 0, 0.0
    last = os.path.join(a.out, "last.pt")
    if a.resume and os.path.exists(last):
        ck = torch.load(last)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, elapsed = ck["step"], ck["elapsed"]
        sampler.rng = np.random.default_rng([a.seed, step])
        log(f"resumed at step {step}, {elapsed / 60:.1f} min")
    log(f"{count_parameters(model)} parameters, {len(sampler.bona)} bona fide and "
        f"{sum(len(x) for x in sampler.attacks)} spoof feature sets, {len(sampler.attacks)} attacks")
    start, saved, run_loss, run_acc = time.time() - elapsed, time.time(), 0.0, 0.0
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def save(path):
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                    "elapsed": time.time() - start, "args": vars(a)}, path + ".tmp")
        os.replace(path + ".tmp", path)

    model.train()
    while True:
        progress = (time.time() - start) / (a.minutes * 60)
        if progress >= 1.0:
            break
        lr = a.lr * min(1.0, progress / 0.05) * 0.5 * (1 + math.cos(math.pi * progress))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = sampler.batch(a.batch)
        logits = model(x)
        loss = loss_fn(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        run_loss = 0.98 * run_loss + 0.02 * float(loss)
        run_acc = 0.98 * run_acc + 0.02 * float(((logits > 0).float() == y).float().mean())
        if step % 50 == 0:
            log(f"step {step} progress {progress:.3f} lr {lr:.2e} loss {run_loss:.4f} acc {run_acc:.3f}")
        if time.time() - saved > a.ckpt_minutes * 60:
            save(last)
            saved = time.time()
    save(last)
    save(os.path.join(a.out, "final.pt"))
    log(f"done: {step} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
