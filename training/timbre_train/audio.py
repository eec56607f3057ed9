"""Audio helpers: load/resample, silence trimming, WAV writing, sox channel simulation, Kaldi fbank."""
import os
import subprocess
import tempfile

import numpy as np
import torch
import torchaudio

SAMPLE_RATE_HZ = 16000

# The card's front end (models/<id>.json "features"): torchaudio's Kaldi fbank with these settings.
FBANK_KW = dict(num_mel_bins=80, frame_length=25.0, frame_shift=10.0, window_type="hamming",
                preemphasis_coefficient=0.97, remove_dc_offset=True, raw_energy=True, low_freq=20.0,
                high_freq=0.0, snip_edges=True, use_log_fbank=True, use_power=True, energy_floor=0.0,
                sample_frequency=float(SAMPLE_RATE_HZ))
SAMPLE_SCALE = 32768.0


def load(path: str, rate_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Decode any file sox/torchaudio reads, mix to mono, resample to rate_hz; float32 in [-1, 1]."""
    wav, sr = torchaudio.load(path)
    wav = wav.mean(dim=0)
    if sr != rate_hz:
        wav = torchaudio.functional.resample(wav, sr, rate_hz)
    return wav.numpy().astype(np.float32)


def trim(x: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ, floor_db: float = 35.0, pad_s: float = 0.05) -> np.ndarray:
    """Cut leading/trailing silence: keep from the first to the last 10 ms frame within floor_db of the loudest."""
    hop = rate_hz // 100
    n = len(x) // hop
    if n == 0:
        return x
    e = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-10)
    voiced = np.nonzero(e > max(e.max() - floor_db, -70.0))[0]
    if len(voiced) == 0:
        return x[:0]
    pad = int(pad_s * rate_hz)
    return x[max(0, voiced[0] * hop - pad): min(len(x), (voiced[-1] + 1) * hop + pad)]


def write_wav(path: str, x: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    pcm = torch.from_numpy(np.clip(x, -1.0, 1.0 - 1.0 / 32768).astype(np.float32))[None]
    torchaudio.save(path, pcm, rate_hz, encoding="PCM_S", bits_per_sample=16)


def sox(*args: str) -> None:
    subprocess.run(["sox", "-V1", "-R", *args], check=True)   # -R: repeatable dither


def mulaw_8k_file(src_wav: str, dst_wav: str) -> None:
    """The eval telephone channel: 16 kHz WAV -> 8 kHz G.711 mu-law -> 8 kHz PCM-16 WAV (what a decoder reads)."""
    os.makedirs(os.path.dirname(dst_wav), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        mid = os.path.join(tmp, "mulaw.wav")
        sox(src_wav, "-r", "8000", "-e", "mu-law", mid)
        sox(mid, "-e", "signed-integer", "-b", "16", dst_wav)


def telephone_8k(x: np.ndarray, codec: str, rng: np.random.Generator) -> np.ndarray:
    """Contact-centre channel, 16 kHz in, 8 kHz out as a decoder hands it on: band-limit ~300-3400 Hz, codec
    (mu-law|a-law|gsm|pcm), decoded to PCM-16."""
    lo = int(rng.uniform(200, 350))
    hi = int(rng.uniform(3200, 3600))
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        write_wav(src, x)
        if codec == "gsm":
            mid = os.path.join(tmp, "mid.gsm")
            sox(src, "-r", "8000", "-c", "1", mid, "sinc", f"{lo}-{hi}")
        else:
            mid = os.path.join(tmp, "mid.wav")
            enc = {"mu-law": ["-e", "mu-law"], "a-law": ["-e", "a-law"], "pcm": ["-e", "signed-integer", "-b", "16"]}[codec]
            sox(src, "-r", "8000", *enc, mid, "sinc", f"{lo}-{hi}")
        sox(mid, "-e", "signed-integer", "-b", "16", out)
        return load(out, 8000)


def telephone(x: np.ndarray, codec: str, rng: np.random.Generator) -> np.ndarray:
    """telephone_8k, back at 16 kHz through sox's resampler (PCM-16)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        write_wav(src, telephone_8k(x, codec, rng), 8000)
        sox(src, "-r", "16000", "-e", "signed-integer", "-b", "16", out)
        return load(out)


def sox_effect(x: np.ndarray, *effect: str) -> np.ndarray:
    """Run one sox effect chain (e.g. 'speed', '1.1' or 'reverb', ...) on 16 kHz audio."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        write_wav(src, x)
        sox(src, out, *effect, "channels", "1", "rate", "16000")
        return load(out)


def add_noise(x: np.ndarray, noise: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    if len(noise) < len(x):
        noise = np.tile(noise, len(x) // len(noise) + 1)
    start = int(rng.integers(0, len(noise) - len(x) + 1))
    n = noise[start: start + len(x)]
    px = np.mean(x ** 2) + 1e-10
    pn = np.mean(n ** 2) + 1e-10
    return (x + n * np.sqrt(px / (pn * 10 ** (snr_db / 10)))).astype(np.float32)


def fbank(x: np.ndarray, dither: float = 0.0) -> np.ndarray:
    """80-bin Kaldi fbank [T, 80] with the card's settings (no mean normalisation here)."""
    wav = torch.from_numpy(x.astype(np.float32) * SAMPLE_SCALE)[None]
    return torchaudio.compliance.kaldi.fbank(wav, dither=dither, **FBANK_KW).numpy()
