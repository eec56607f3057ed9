"""AASIST-L (Jung et al., ICASSP 2022) written from the paper and the published state_dict's shapes, to compare
Timbre's countermeasure with it on the same lists. The weights (/work/shared/data/aasist-weights, MIT) are read at
run time only: never shipped, never converted into the repository.

Usage: /usr/bin/python3 -m timbre_train.cm_aasist --weights DIR/AASIST-L.pth [--check] [--list L --root D]...
--check: the reference output of SOURCE.md (64,600 samples all 0.01 -> logits [1.1931, -0.5839]).
Scoring: 16 kHz waveform (8 kHz files upsampled, as the model was trained at 16 kHz), the runtime's windowing on
samples (64,600-sample windows, hop 32,000; shorter speech tiled to 64,600, as upstream does), score = mean over
windows of logit(spoof) - logit(bona fide), so positive = spoof like Timbre's; risk = 100 * sigmoid(score).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import audio, cm_eval

NB_SAMP = 64600
# AASIST-L hyper-parameters (upstream config AASIST-L.conf)
FILTS = [70, [1, 32], [32, 32], [32, 24], [24, 24]]
GAT_DIMS = [24, 32]
POOL_RATIOS = [0.4, 0.5, 0.7, 0.5]
TEMPERATURES = [2.0, 2.0, 100.0, 100.0]


def mel_sinc_bank(n_filters: int, length: int, rate: int = 16000) -> torch.Tensor:
    """Fixed band-pass bank: edges evenly spaced in mel from 0 to rate/2, Hamming-windowed sinc differences."""
    to_mel = lambda hz: 2595 * np.log10(1 + hz / 700)
    to_hz = lambda mel: 700 * (10 ** (mel / 2595) - 1)
    length += 1 - length % 2
    edges = to_hz(np.linspace(to_mel(0.0), to_mel(rate / 2), n_filters + 1))
    t = np.arange(-(length - 1) / 2, (length - 1) / 2 + 1)
    lowpass = lambda fc: (2 * fc / rate) * np.sinc(2 * fc * t / rate)
    bank = np.stack([np.hamming(length) * (lowpass(edges[i + 1]) - lowpass(edges[i])) for i in range(n_filters)])
    return torch.tensor(bank, dtype=torch.float32)[:, None, :]


class ResidualBlock(nn.Module):
    def __init__(self, cin: int, cout: int, first: bool):
        super().__init__()
        self.first = first
        if not first:
            self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, (2, 3), padding=(1, 1))
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, (2, 3), padding=(0, 1))
        self.conv_downsample = nn.Conv2d(cin, cout, (1, 3), padding=(0, 1)) if cin != cout else None

    def forward(self, x):
        # The published weights were trained with conv1 reading the block input directly (the pre-activation
        # bn1/SELU result is unused), so inference must do the same to reproduce them.
        y = self.conv2(F.selu(self.bn2(self.conv1(x))))
        skip = self.conv_downsample(x) if self.conv_downsample is not None else x
        return F.max_pool2d(y + skip, (1, 3))


def _pairwise(x):
    n = x.size(1)
    x = x.unsqueeze(2).expand(-1, -1, n, -1)
    return x * x.transpose(1, 2)


def _bn_nodes(bn, x):
    return bn(x.reshape(-1, x.size(-1))).reshape(x.shape)


class GraphAttention(nn.Module):
    def __init__(self, din: int, dout: int, temperature: float):
        super().__init__()
        self.att_proj = nn.Linear(din, dout)
        self.att_weight = nn.Parameter(torch.zeros(dout, 1))
        self.proj_with_att = nn.Linear(din, dout)
        self.proj_without_att = nn.Linear(din, dout)
        self.bn = nn.BatchNorm1d(dout)
        self.temp = temperature

    def forward(self, x):
        att = torch.softmax(torch.tanh(self.att_proj(_pairwise(x))) @ self.att_weight / self.temp, dim=-2)
        y = self.proj_with_att(att.squeeze(-1) @ x) + self.proj_without_att(x)
        return F.selu(_bn_nodes(self.bn, y))


class HeteroGraphAttention(nn.Module):
    """Attention over the union of a temporal and a spectral graph, with a master node that attends to both."""

    def __init__(self, din: int, dout: int, temperature: float):
        super().__init__()
        self.proj_type1 = nn.Linear(din, din)
        self.proj_type2 = nn.Linear(din, din)
        self.att_proj = nn.Linear(din, dout)
        self.att_projM = nn.Linear(din, dout)
        for name in ("att_weight11", "att_weight22", "att_weight12", "att_weightM"):
            setattr(self, name, nn.Parameter(torch.zeros(dout, 1)))
        self.proj_with_att = nn.Linear(din, dout)
        self.proj_without_att = nn.Linear(din, dout)
        self.proj_with_attM = nn.Linear(din, dout)
        self.proj_without_attM = nn.Linear(din, dout)
        self.bn = nn.BatchNorm1d(dout)
        self.temp = temperature

    def forward(self, x1, x2, master):
        n1 = x1.size(1)
        x = torch.cat([self.proj_type1(x1), self.proj_type2(x2)], dim=1)
        # master node update
        att_m = torch.softmax(torch.tanh(self.att_projM(x * master)) @ self.att_weightM / self.temp, dim=-2)
        master = self.proj_with_attM(att_m.squeeze(-1).unsqueeze(1) @ x) + self.proj_without_attM(master)
        # node attention: one weight vector per block (type1-type1, type2-type2, across types)
        h = torch.tanh(self.att_proj(_pairwise(x)))
        n = x.size(1)
        is1 = torch.arange(n) < n1
        same1 = (is1[:, None] & is1[None, :])[None, :, :, None]
        same2 = (~is1[:, None] & ~is1[None, :])[None, :, :, None]
        logits = torch.where(same1, h @ self.att_weight11,
                             torch.where(same2, h @ self.att_weight22, h @ self.att_weight12))
        att = torch.softmax(logits / self.temp, dim=-2)
        y = self.proj_with_att(att.squeeze(-1) @ x) + self.proj_without_att(x)
        y = F.selu(_bn_nodes(self.bn, y))
        return y[:, :n1], y[:, n1:], master


class GraphPool(nn.Module):
    def __init__(self, ratio: float, dim: int):
        super().__init__()
        self.ratio = ratio
        self.proj = nn.Linear(dim, 1)

    def forward(self, h):
        scores = torch.sigmoid(self.proj(h))
        k = max(int(h.size(1) * self.ratio), 1)
        idx = torch.topk(scores, k, dim=1)[1].expand(-1, -1, h.size(2))
        return torch.gather(h * scores, 1, idx)


class AasistL(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("sinc", mel_sinc_bank(FILTS[0], 128), persistent=False)
        self.first_bn = nn.BatchNorm2d(1)
        plan = [FILTS[1], FILTS[2], FILTS[3], FILTS[4], FILTS[4], FILTS[4]]
        self.encoder = nn.Sequential(*[nn.Sequential(ResidualBlock(a, b, i == 0)) for i, (a, b) in enumerate(plan)])
        c = FILTS[-1][-1]
        self.pos_S = nn.Parameter(torch.zeros(1, 23, c))
        self.master1 = nn.Parameter(torch.zeros(1, 1, GAT_DIMS[0]))
        self.master2 = nn.Parameter(torch.zeros(1, 1, GAT_DIMS[0]))
        self.GAT_layer_S = GraphAttention(c, GAT_DIMS[0], TEMPERATURES[0])
        self.GAT_layer_T = GraphAttention(c, GAT_DIMS[0], TEMPERATURES[1])
        g0, g1, t = GAT_DIMS[0], GAT_DIMS[1], TEMPERATURES[2]
        self.HtrgGAT_layer_ST11 = HeteroGraphAttention(g0, g1, t)
        self.HtrgGAT_layer_ST12 = HeteroGraphAttention(g1, g1, t)
        self.HtrgGAT_layer_ST21 = HeteroGraphAttention(g0, g1, t)
        self.HtrgGAT_layer_ST22 = HeteroGraphAttention(g1, g1, t)
        self.pool_S = GraphPool(POOL_RATIOS[0], g0)
        self.pool_T = GraphPool(POOL_RATIOS[1], g0)
        for name in ("pool_hS1", "pool_hT1", "pool_hS2", "pool_hT2"):
            setattr(self, name, GraphPool(POOL_RATIOS[2], g1))
        self.out_layer = nn.Linear(5 * g1, 2)

    def _branch(self, st1, st2, pool_s, pool_t, out_t, out_s, master):
        t1, s1, m1 = st1(out_t, out_s, master)
        s1, t1 = pool_s(s1), pool_t(t1)
        t_aug, s_aug, m_aug = st2(t1, s1, m1)
        return t1 + t_aug, s1 + s_aug, m1 + m_aug

    def forward(self, wav):
        x = F.conv1d(wav.unsqueeze(1), self.sinc).unsqueeze(1)           # [B, 1, 70, T]
        x = F.selu(self.first_bn(F.max_pool2d(x.abs(), (3, 3))))
        e = self.encoder(x)                                              # [B, C, 23, T']
        out_s = self.pool_S(self.GAT_layer_S(e.abs().max(dim=3)[0].transpose(1, 2) + self.pos_S))
        out_t = self.pool_T(self.GAT_layer_T(e.abs().max(dim=2)[0].transpose(1, 2)))
        t1, s1, m1 = self._branch(self.HtrgGAT_layer_ST11, self.HtrgGAT_layer_ST12, self.pool_hS1, self.pool_hT1,
                                  out_t, out_s, self.master1)
        t2, s2, m2 = self._branch(self.HtrgGAT_layer_ST21, self.HtrgGAT_layer_ST22, self.pool_hS2, self.pool_hT2,
                                  out_t, out_s, self.master2)
        t, s, m = torch.max(t1, t2), torch.max(s1, s2), torch.max(m1, m2)
        hidden = torch.cat([t.abs().max(dim=1)[0], t.mean(dim=1), s.abs().max(dim=1)[0], s.mean(dim=1),
                            m.squeeze(1)], dim=1)
        return self.out_layer(hidden)                                    # [B, 2]: class 0 spoof, class 1 bona fide


def load(weights: str) -> AasistL:
    model = AasistL()
    model.load_state_dict(torch.load(weights, map_location="cpu"), strict=True)
    return model.eval()


def scorer(model: AasistL):
    def score(x16: np.ndarray) -> float:
        ws = cm_eval.windows(len(x16), NB_SAMP, 32000, 16000)
        if not ws:
            return float("nan")
        out = []
        for s, e in ws:
            w = x16[s:e]
            if len(w) < NB_SAMP:
                w = np.tile(w, NB_SAMP // len(w) + 1)[:NB_SAMP]
            with torch.no_grad():
                lg = model(torch.from_numpy(w.astype(np.float32))[None])[0]
            out.append(float(lg[0] - lg[1]))
        return float(np.mean(out))
    return score


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True)
    p.add_argument("--check", action="store_true")
    p.add_argument("--list", action="append", default=[])
    p.add_argument("--root", action="append", default=[])
    p.add_argument("--fit-calibration-list", help="also report metrics with a, b fitted on this list")
    p.add_argument("--fit-calibration-root")
    p.add_argument("--out")
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    model = load(a.weights)
    if a.check:
        with torch.no_grad():
            got = model(torch.full((1, NB_SAMP), 0.01))[0].tolist()
        print(json.dumps({"logits": [round(v, 4) for v in got], "reference": [1.1931, -0.5839]}))
        return 0 if np.allclose(got, [1.1931, -0.5839], atol=2e-3) else 1
    score = scorer(model)
    out = {}
    cal = None
    if a.fit_calibration_list:
        cscored = cm_eval.score_list(score, cm_eval.read_list(a.fit_calibration_list), a.fit_calibration_root)
        cal = cm_eval.fit_logistic(cscored)
        out["calibration"] = {"a": cal[0], "b": cal[1], "list": a.fit_calibration_list}
    for lst, root in zip(a.list, a.root):
        scored = cm_eval.score_list(score, cm_eval.read_list(lst), root)
        name = os.path.basename(lst)
        out[name] = {"uncalibrated": cm_eval.metrics(scored)}
        if cal:
            out[name]["calibrated"] = cm_eval.metrics(scored, *cal)
        print(json.dumps({name: out[name]}), flush=True)
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(out, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
