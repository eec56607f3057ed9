"""Train the ECAPA-lite speaker embedder with AAM-softmax on precomputed fbank crops (CPU, resumable).

Usage: /usr/bin/python3 -m timbre_train.train [--work training/work] [--minutes 60] [--resume]
The schedule (LR warm-up + cosine decay, margin ramp 0 -> 0.2) runs on progress = elapsed / --minutes, so a run
under CPU contention still ends on time with a finished schedule. Checkpoints every --ckpt-minutes.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

from .model import AAMSoftmax, EcapaLite, count_parameters


def log(msg: str) -> None:
    print(f"[train {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class CropSampler:
    """Class-balanced sampler: a class uniformly, one of its augmented copies uniformly, a random crop of it."""

    def __init__(self, feat_dir: str, crop: int, rng: np.random.Generator, balance: str = "class"):
        with open(os.path.join(feat_dir, "index.json")) as fh:
            idx = json.load(fh)
        self.items = idx["items"]
        total = sum(it["frames"] for it in self.items)
        self.feats = np.memmap(os.path.join(feat_dir, "feats.f16"), dtype=np.float16, mode="r", shape=(total, 80))
        self.classes = sorted({it["cls"] for it in self.items})
        label = {c: i for i, c in enumerate(self.classes)}
        self.by_class = [[] for _ in self.classes]
        for i, it in enumerate(self.items):
            self.by_class[label[it["cls"]]].append(i)
        self.crop, self.rng = crop, rng
        # "class": every class equally often (v1). "sqrt-seconds": in proportion to the square root of the voice's
        # clean audio, capped at 120 s, so a 10-s two-clip speaker is drawn about a third as often as a 2-min voice
        # (not as often: it would be seen many times per second of audio and learned by heart).
        if balance == "sqrt-seconds":
            sec = np.ones(len(self.classes))
            for it in self.items:
                sec[label[it["cls"]]] = max(1.0, min(120.0, float(it.get("seconds", 120.0))))
            self.p = np.sqrt(sec) / np.sqrt(sec).sum()
        elif balance == "class":
            self.p = None
        else:
            raise ValueError(f"--balance {balance!r}: use class or sqrt-seconds")

    def batch(self, n: int):
        labels = self.rng.choice(len(self.classes), size=n, p=self.p) if self.p is not None else \
            self.rng.integers(0, len(self.classes), size=n)
        x = np.empty((n, self.crop, 80), np.float32)
        for b, c in enumerate(labels):
            it = self.items[self.by_class[c][self.rng.integers(0, len(self.by_class[c]))]]
            seg = self.feats[it["offset"]: it["offset"] + it["frames"]]
            if len(seg) >= self.crop:
                s = int(self.rng.integers(0, len(seg) - self.crop + 1))
                crop = np.asarray(seg[s: s + self.crop], np.float32)
            else:
                crop = np.resize(np.asarray(seg, np.float32), (self.crop, 80)) if len(seg) else np.zeros((self.crop, 80))
            crop = crop - crop.mean(axis=0, keepdims=True)   # per-utterance mean normalisation (the card's setting)
            if self.rng.random() < 0.5:                       # light SpecAugment: one band, one time stretch masked
                f0, fw = self.rng.integers(0, 72), self.rng.integers(1, 9)
                crop[:, f0:f0 + fw] = 0.0
                t0, tw = self.rng.integers(0, self.crop - 20), self.rng.integers(1, 20)
                crop[t0:t0 + tw] = 0.0
            x[b] = crop
        return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def onnx_weights(path: str, model: torch.nn.Module) -> dict:
    """A state dict for `model` from an exported ONNX file's initialisers (same names and shapes, or an error)."""
    import onnx
    from onnx import numpy_helper
    init = {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}
    state = {}
    for k, v in model.state_dict().items():
        if k.endswith("num_batches_tracked"):
            state[k] = v
        elif k not in init or tuple(init[k].shape) != tuple(v.shape):
            raise ValueError(f"{path}: no initialiser {k} of shape {tuple(v.shape)} (is --channels that model's?)")
        else:
            state[k] = torch.from_numpy(init[k].copy())
    return state


def schedule(progress: float, peak_lr: float, min_lr: float, max_margin: float, warm: float = 0.03):
    lr = peak_lr * progress / warm if progress < warm else \
        min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * min(1.0, (progress - warm) / (1 - warm))))
    margin = max_margin * min(1.0, max(0.0, (progress - 0.15) / 0.45))   # 0 until 15 %, full by 60 %
    return lr, margin


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(__file__), "..", "work"))
    ap.add_argument("--minutes", type=float, default=58.0, help="wall-clock training budget")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--crop", type=int, default=160, help="frames per training crop (10 ms each)")
    ap.add_argument("--channels", type=int, default=128)
    ap.add_argument("--emb-dim", type=int, default=192)
    ap.add_argument("--peak-lr", type=float, default=2e-3)
    ap.add_argument("--min-lr", type=float, default=2e-5)
    ap.add_argument("--margin", type=float, default=0.2)
    ap.add_argument("--scale", type=float, default=32.0)
    ap.add_argument("--threads", type=int, default=1, help="1 beats 2 on a shared 2-core machine (no OpenMP barrier stalls)")
    ap.add_argument("--ckpt-minutes", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--balance", default="class", choices=["class", "sqrt-seconds"],
                    help="how often each class is drawn (see CropSampler)")
    ap.add_argument("--device", default="cpu", help="torch device, e.g. cuda on a GPU machine")
    ap.add_argument("--init", help="large-margin fine-tuning: start from this checkpoint's weights (fresh optimizer), "
                    "constant --margin, cosine LR from --peak-lr; writes ckpt/lmft-{last,final}.pt")
    ap.add_argument("--warm-start", help="start the network from a shipped ONNX model's weights (v1's: its initialisers "
                    "keep the PyTorch names) with a fresh classifier head and the full schedule")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    sampler = CropSampler(os.path.join(a.work, "feats"), a.crop, rng, a.balance)
    device = torch.device(a.device)
    model = EcapaLite(channels=a.channels, emb_dim=a.emb_dim).to(device)
    head = AAMSoftmax(a.emb_dim, len(sampler.classes), scale=a.scale).to(device)
    opt = torch.optim.AdamW(list(model.parameters()) + list(head.parameters()), lr=a.peak_lr, weight_decay=0.05)
    ckpt_path = os.path.join(a.work, "ckpt", "lmft-last.pt" if a.init else "last.pt")
    if a.init:
        ck = torch.load(a.init, map_location=device)
        model.load_state_dict(ck["model"])
        head.load_state_dict(ck["head"])
        log(f"fine-tuning from {a.init} (step {ck['step']})")
    elif a.warm_start:
        model.load_state_dict(onnx_weights(a.warm_start, model), strict=True)
        log(f"warm start from {a.warm_start}")
    os.makedirs(os.path.dirname(ckpt_path), exist_ok=True)
    step, elapsed = 0, 0.0
    if a.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        head.load_state_dict(ck["head"])
        opt.load_state_dict(ck["opt"])
        step, elapsed = ck["step"], ck["elapsed"]
        rng.bit_generator.state = ck["rng"]
        log(f"resumed at step {step}, {elapsed / 60:.1f} min done")
    log(f"{count_parameters(model)} parameters, {len(sampler.classes)} classes, {len(sampler.items)} segments")
    config = {k: v for k, v in vars(a).items() if k not in ("resume", "device")}

    def save(final: bool = False):
        state = {"model": model.state_dict(), "head": head.state_dict(), "opt": opt.state_dict(), "step": step,
                 "elapsed": elapsed, "rng": rng.bit_generator.state, "config": config, "classes": sampler.classes}
        torch.save(state, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)
        if final:
            torch.save({"model": model.state_dict(), "config": config, "steps": step, "minutes": elapsed / 60,
                        "classes": len(sampler.classes)},
                       os.path.join(a.work, "ckpt", "lmft-final.pt" if a.init else "final.pt"))

    model.train()
    t_last, t_ckpt, run_loss, run_acc, n_run = time.time(), time.time(), 0.0, 0.0, 0
    budget = a.minutes * 60
    while elapsed < budget:
        lr, margin = schedule(elapsed / budget, a.peak_lr, a.min_lr, a.margin)
        if a.init:
            margin = a.margin
        for g in opt.param_groups:
            g["lr"] = lr
        head.margin = margin
        x, y = sampler.batch(a.batch)
        loss, acc = head(model(x.to(device)), y.to(device))
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        now = time.time()
        elapsed += now - t_last
        t_last = now
        run_loss, run_acc, n_run = run_loss + loss.item(), run_acc + acc.item(), n_run + 1
        if step % 25 == 0:
            log(f"step {step} {elapsed / 60:.1f}/{a.minutes:.0f} min loss {run_loss / n_run:.3f} acc {run_acc / n_run:.3f} "
                f"lr {lr:.2e} margin {margin:.3f}")
            run_loss, run_acc, n_run = 0.0, 0.0, 0
        if now - t_ckpt > a.ckpt_minutes * 60:
            save()
            t_ckpt = time.time()
    save(final=True)
    log(f"done: {step} steps in {elapsed / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
