"""Spoofing attacks for the countermeasure: offline synthesisers, copy-synthesis vocoders, simulated replay.

Every function returns 16 kHz float32 mono audio. Attack names are "<engine>-<voice or setting>" (cm_split).
"""
import os
import subprocess
import tempfile

import numpy as np
import torch
import torchaudio

from . import audio

SR = audio.SAMPLE_RATE_HZ


# ---------------------------------------------------------------- synthesisers (text -> speech)

def synthesise(engine: str, voice: str, text: str, rng: np.random.Generator) -> np.ndarray:
    """Speak text with an installed synthesiser; rate and pitch vary per call where the engine allows."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "s.wav")
        if engine == "espeak":
            variant = str(rng.choice(["", "+m1", "+m2", "+m3", "+m4", "+f1", "+f2", "+f3"]))
            cmd = ["espeak-ng", "-v", voice + variant, "-s", str(int(rng.uniform(130, 200))),
                   "-p", str(int(rng.uniform(25, 75))), "-w", wav, text]
        elif engine == "flite":
            stretch = f"{rng.uniform(0.85, 1.2):.2f}"
            cmd = ["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", wav]
        elif engine == "festival":
            txt = os.path.join(tmp, "t.txt")
            with open(txt, "w") as fh:
                fh.write(text)
            cmd = ["text2wave", "-eval", f"(voice_{voice})", txt, "-o", wav]
        else:
            raise ValueError(f"unknown synthesiser engine {engine!r}")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        return audio.load(wav)


# ---------------------------------------------------------------- copy-synthesis vocoders (real speech -> speech)

N_FFT, HOP = 512, 128


def _mel_magnitude(x: torch.Tensor, n_mels: int) -> torch.Tensor:
    """Linear-frequency magnitude recovered from an n_mels mel spectrum (pseudo-inverse, clamped >= 0)."""
    spec = torch.stft(x, N_FFT, HOP, window=torch.hann_window(N_FFT), return_complex=True).abs()
    fb = torchaudio.functional.melscale_fbanks(N_FFT // 2 + 1, 0.0, SR / 2, n_mels, SR)  # [freq, mels]
    mel = fb.T @ spec
    return (torch.linalg.pinv(fb.T) @ mel).clamp(min=0.0)


def griffin_lim(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    mag = _mel_magnitude(torch.from_numpy(x), int(rng.choice([64, 80, 100])))
    gl = torchaudio.transforms.GriffinLim(n_fft=N_FFT, hop_length=HOP, power=1.0, n_iter=int(rng.choice([16, 32])))
    return gl(mag).numpy().astype(np.float32)


def phase_random(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mel-inverted magnitude with random phase, a few Griffin-Lim steps to smooth it."""
    mag = _mel_magnitude(torch.from_numpy(x), 80)
    g = torch.Generator().manual_seed(int(rng.integers(1 << 30)))
    phase = torch.rand(mag.shape, generator=g) * 2 * np.pi
    y = torch.istft(torch.polar(mag, phase), N_FFT, HOP, window=torch.hann_window(N_FFT))
    gl = torchaudio.transforms.GriffinLim(n_fft=N_FFT, hop_length=HOP, power=1.0, n_iter=4)
    return (0.5 * y[: len(x)] + 0.5 * gl(mag)[: len(x)]).numpy().astype(np.float32)


def _levinson(r: np.ndarray, order: int) -> np.ndarray:
    a = np.zeros(order + 1)
    a[0] = 1.0
    err = r[0] + 1e-9
    for i in range(1, order + 1):
        k = -(r[i] + a[1:i] @ r[i - 1:0:-1]) / err
        a[1:i + 1] = a[1:i + 1] + k * np.concatenate([a[i - 1:0:-1], [1.0]])
        err *= 1 - k * k
    return a


PITCH_LAGS = np.arange(SR // 400, SR // 70)   # 70-400 Hz


def _pitch_period(r: np.ndarray) -> int:
    """Pitch period in samples from a frame's autocorrelation r (lags 0...): the normalised peak in 70-400 Hz, or 0
    (unvoiced) when that peak is under 0.35."""
    rn = r[PITCH_LAGS] / (r[0] + 1e-9)
    return int(PITCH_LAGS[np.argmax(rn)]) if rn.max() > 0.35 else 0


def lpc_resynth(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """LPC vocoder: order-18 all-pole envelope per 32 ms frame, pulse train (autocorrelation pitch) or noise."""
    win, hop, order = 512, 256, 18
    n = (len(x) - win) // hop + 1
    if n < 2:
        return x
    w = np.hanning(win)
    frames = np.stack([x[i * hop: i * hop + win] * w for i in range(n)])
    a_rows, gains, periods = [], [], []
    for f in frames:
        r = np.correlate(f, f, "full")[win - 1:]
        a = _levinson(r[: order + 1], order)
        a_rows.append(a)
        gains.append(np.sqrt(max(r[0] * 1e-3, 1e-12)))
        periods.append(_pitch_period(r))
    out = np.zeros(len(x) + win)
    phase = 0.0
    jitter = rng.uniform(0.0, 0.02)
    for i in range(n):
        p = periods[i]
        if p:
            exc = np.zeros(win)
            t = phase
            while t < win:
                exc[int(t)] = np.sqrt(p)
                t += p * (1 + jitter * rng.standard_normal())
            phase = t - hop
        else:
            exc = rng.standard_normal(win)
            phase = 0.0
        a = torch.tensor(a_rows[i], dtype=torch.float64)
        b = torch.zeros_like(a)
        b[0] = 1.0
        y = torchaudio.functional.lfilter(torch.from_numpy(exc), a, b, clamp=False).numpy()
        y = np.nan_to_num(y)
        out[i * hop: i * hop + win] += y * w * gains[i]
    out = out[: len(x)]
    return (out / (np.abs(out).max() + 1e-9) * (np.abs(x).max() + 1e-9)).astype(np.float32)


def _frame_periods(x: np.ndarray, win: int, hop: int) -> np.ndarray:
    """_pitch_period of each Hann-windowed frame."""
    n = max(1, (len(x) - win) // hop + 1)
    out = np.zeros(n, dtype=np.int64)
    for i in range(n):
        f = x[i * hop: i * hop + win]
        if len(f) < win:
            break
        f = f * np.hanning(win)
        out[i] = _pitch_period(np.correlate(f, f, "full")[win - 1:])
    return out


def cepstral_vocoder(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Source-filter copy-synthesis: a liftered-cepstrum envelope per frame over a pulse-train-plus-noise excitation
    (pitch from autocorrelation), the way statistical-parametric TTS vocoders rebuild speech."""
    win = torch.hann_window(N_FFT)
    spec = torch.stft(torch.from_numpy(x), N_FFT, HOP, window=win, return_complex=True)   # [freq, frames]
    cep = torch.fft.irfft(torch.log(spec.abs() + 1e-6), dim=0)
    keep = int(rng.choice([20, 30, 40]))
    lifter = torch.zeros(cep.shape[0])
    lifter[:keep] = 1.0
    lifter[-keep + 1:] = 1.0
    env = torch.exp(torch.fft.rfft(cep * lifter[:, None], dim=0).real)
    periods = _frame_periods(x, N_FFT, HOP)
    exc = np.zeros(len(x), np.float32)
    noise = rng.standard_normal(len(x)).astype(np.float32)
    aspiration = rng.uniform(0.02, 0.1)
    next_pulse = 0.0
    for t in range(len(x)):
        p = periods[min(t // HOP, len(periods) - 1)]
        if p:
            if t >= next_pulse:
                exc[t] = np.sqrt(p)
                next_pulse = t + p
            exc[t] += aspiration * noise[t]
        else:
            exc[t] = noise[t]
            next_pulse = t
    e = torch.stft(torch.from_numpy(exc), N_FFT, HOP, window=win, return_complex=True)
    e = e / (e.abs().pow(2).mean(dim=0, keepdim=True).sqrt() + 1e-9)      # flat excitation, level from the envelope
    frames = min(e.shape[1], env.shape[1])
    y = torch.istft(e[:, :frames] * env[:, :frames], N_FFT, HOP, window=win, length=len(x)).numpy()
    return (y / (np.abs(y).max() + 1e-9) * (np.abs(x).max() + 1e-9)).astype(np.float32)


VOCODERS = {"griffinlim": griffin_lim, "phaserand": phase_random, "lpc": lpc_resynth, "cepstral": cepstral_vocoder}

# ---------------------------------------------------------------- replay (real speech -> loudspeaker -> room -> mic)

# setting: (loudspeaker band Hz, soft-clip drive, sox reverb args, re-recording noise SNR dB range)
REPLAY = {
    "a": ((300, 7000), 2.0, ["reverb", "30", "50", "40"], (25, 40)),
    "b": ((150, 5000), 4.0, ["reverb", "60", "50", "70"], (20, 35)),
    "c": ((220, 6000), 3.0, ["reverb", "80", "30", "100", "100", "10"], (15, 30)),
}


def replay(setting: str, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    (lo, hi), drive, reverb, (snr_lo, snr_hi) = REPLAY[setting]
    y = audio.sox_effect(x, "sinc", f"{lo}-{hi}")
    peak = np.abs(y).max() + 1e-9
    y = np.tanh(drive * y / peak) / np.tanh(drive) * peak          # small-loudspeaker non-linearity
    y = audio.sox_effect(y, "gain", "-3", *reverb)
    noise = rng.standard_normal(len(y)).astype(np.float32)
    noise = np.cumsum(noise) * 0.02 + noise                         # some low-frequency rumble with the hiss
    return audio.add_noise(y, noise, float(rng.uniform(snr_lo, snr_hi)), rng)


def copy_attack(engine: str, setting: str, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if engine == "vocoder":
        return VOCODERS[setting](x, rng)
    if engine == "replay":
        return replay(setting, x, rng)
    raise ValueError(f"{engine!r} is not a copy attack")
