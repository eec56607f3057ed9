"""Timbre's countermeasure: a small residual 2-D CNN over raw log-mel frames, one spoof logit per window.

Input `feats` [B, T, 80]: the speaker model's Kaldi fbank frames *before* mean normalisation (shared front end).
Normalisation is inside the graph (per-window mean subtraction over time, then a fixed per-bin scale), so the
runtime feeds raw frames. Output `logits` [B]: log-odds spoof versus bona fide, positive = spoof.
"""
import torch
from torch import nn


class ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
                     if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + self.skip(x))


class CmNet(nn.Module):
    def __init__(self, n_mels: int = 80, width: int = 16, emb: int = 128):
        super().__init__()
        self.input_norm = nn.BatchNorm1d(n_mels, affine=False)   # per-bin scale learnt from training statistics
        self.stem = nn.Sequential(nn.Conv2d(1, width, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(width),
                                  nn.ReLU())
        self.blocks = nn.Sequential(ResBlock(width, 2 * width, 2), ResBlock(2 * width, 4 * width, 2))
        f = n_mels // 8
        self.frame = nn.Sequential(nn.Conv1d(4 * width * f, emb, 1), nn.BatchNorm1d(emb), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(2 * emb, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        x = feats - feats.mean(dim=1, keepdim=True)             # per-window mean subtraction (channel gain)
        x = self.input_norm(x.transpose(1, 2)).unsqueeze(1)     # [B, 1, 80, T]
        x = self.blocks(self.stem(x))                           # [B, C, 10, T/8]
        x = self.frame(x.flatten(1, 2))                         # [B, emb, T/8]
        pooled = torch.cat([x.mean(dim=2), x.std(dim=2, unbiased=False)], dim=1)
        return self.head(pooled).squeeze(1)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
