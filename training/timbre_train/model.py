"""ECAPA-TDNN-lite speaker-embedding network (small enough to train on 2 CPU cores).

Input: per-utterance mean-normalised 80-bin Kaldi fbank [B, T, 80]; output: embedding [B, D].
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SEModule(nn.Module):
    """Squeeze-excitation over channels (global context per utterance)."""

    def __init__(self, channels: int, bottleneck: int = 64):
        super().__init__()
        self.fc1 = nn.Conv1d(channels, bottleneck, 1)
        self.fc2 = nn.Conv1d(bottleneck, channels, 1)

    def forward(self, x):
        s = x.mean(dim=2, keepdim=True)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * s


class Res2Conv(nn.Module):
    """Res2Net-style dilated conv: channels split into `scale` groups, each fed the previous group's output."""

    def __init__(self, channels: int, kernel: int, dilation: int, scale: int = 4):
        super().__init__()
        self.scale = scale
        width = channels // scale
        pad = (kernel - 1) // 2 * dilation
        self.convs = nn.ModuleList(
            [nn.Conv1d(width, width, kernel, dilation=dilation, padding=pad) for _ in range(scale - 1)])
        self.bns = nn.ModuleList([nn.BatchNorm1d(width) for _ in range(scale - 1)])

    def forward(self, x):
        chunks = torch.chunk(x, self.scale, dim=1)
        out = []
        sp = chunks[0]
        for i in range(self.scale - 1):
            sp = chunks[i] if i == 0 else sp + chunks[i]
            sp = self.bns[i](F.relu(self.convs[i](sp)))
            out.append(sp)
        out.append(chunks[-1])
        return torch.cat(out, dim=1)


class SERes2Block(nn.Module):
    def __init__(self, channels: int, dilation: int, scale: int = 4):
        super().__init__()
        self.conv1 = nn.Conv1d(channels, channels, 1)
        self.bn1 = nn.BatchNorm1d(channels)
        self.res2 = Res2Conv(channels, 3, dilation, scale)
        self.conv2 = nn.Conv1d(channels, channels, 1)
        self.bn2 = nn.BatchNorm1d(channels)
        self.se = SEModule(channels)

    def forward(self, x):
        y = self.bn1(F.relu(self.conv1(x)))
        y = self.res2(y)
        y = self.bn2(F.relu(self.conv2(y)))
        return x + self.se(y)


class AttentiveStatsPool(nn.Module):
    """Channel-wise attentive statistics pooling with global context (ECAPA)."""

    def __init__(self, channels: int, attention: int = 128):
        super().__init__()
        self.att1 = nn.Conv1d(channels * 3, attention, 1)
        self.bn = nn.BatchNorm1d(attention)
        self.att2 = nn.Conv1d(attention, channels, 1)

    def forward(self, x):
        mean = x.mean(dim=2, keepdim=True)
        std = torch.sqrt(torch.clamp(x.var(dim=2, keepdim=True, unbiased=False), min=1e-5))
        ctx = torch.cat([x, mean.expand_as(x), std.expand_as(x)], dim=1)
        w = torch.softmax(self.att2(torch.tanh(self.bn(F.relu(self.att1(ctx))))), dim=2)
        mu = torch.sum(x * w, dim=2)
        sg = torch.sqrt(torch.clamp(torch.sum(x * x * w, dim=2) - mu * mu, min=1e-5))
        return torch.cat([mu, sg], dim=1)


class EcapaLite(nn.Module):
    """ECAPA-TDNN with narrow channels and a stride-2 stem (halves the frame rate to save CPU)."""

    def __init__(self, n_mels: int = 80, channels: int = 256, emb_dim: int = 192, stem_stride: int = 2):
        super().__init__()
        self.stem = nn.Conv1d(n_mels, channels, 5, stride=stem_stride, padding=2)
        self.stem_bn = nn.BatchNorm1d(channels)
        self.blocks = nn.ModuleList([SERes2Block(channels, d) for d in (2, 3, 4)])
        self.mfa = nn.Conv1d(channels * 3, channels * 3, 1)
        self.pool = AttentiveStatsPool(channels * 3)
        self.pool_bn = nn.BatchNorm1d(channels * 6)
        self.fc = nn.Linear(channels * 6, emb_dim)
        self.fc_bn = nn.BatchNorm1d(emb_dim)

    def forward(self, feats):
        x = feats.transpose(1, 2)  # [B, 80, T]
        x = self.stem_bn(F.relu(self.stem(x)))
        outs = []
        for blk in self.blocks:
            x = blk(x)
            outs.append(x)
        x = F.relu(self.mfa(torch.cat(outs, dim=1)))
        x = self.pool_bn(self.pool(x))
        return self.fc_bn(self.fc(x))


class AAMSoftmax(nn.Module):
    """Additive angular margin softmax (ArcFace): logits s*cos(theta + m) for the target class."""

    def __init__(self, emb_dim: int, n_classes: int, scale: float = 32.0):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_classes, emb_dim))
        nn.init.xavier_normal_(self.weight)
        self.scale = scale
        self.margin = 0.0

    def forward(self, emb, labels):
        cos = F.linear(F.normalize(emb), F.normalize(self.weight)).clamp(-1 + 1e-7, 1 - 1e-7)
        m = self.margin
        sin = torch.sqrt(1.0 - cos * cos)
        phi = cos * math.cos(m) - sin * math.sin(m)
        # keep the function monotonic past theta = pi - m (standard "easy margin" fallback)
        phi = torch.where(cos > math.cos(math.pi - m), phi, cos - math.sin(math.pi - m) * m)
        onehot = F.one_hot(labels, cos.shape[1]).to(cos.dtype)
        logits = self.scale * (onehot * phi + (1 - onehot) * cos)
        return F.cross_entropy(logits, labels), (cos.argmax(dim=1) == labels).float().mean()


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
