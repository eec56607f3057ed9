"""Countermeasure data preparation: bona fide crops and spoofs per role, channel variants, fbank, lists.

Usage: /usr/bin/python3 -m timbre_train.cm_prep --data-root DIR [--roles train,calib,eval] [--scale 1.0]
Writes (seeded, reproducible):
  training/work/spoof/train/**.wav + feats.npy/feats.json   16 kHz base clips; fbank of a wideband and two telephone
                                                           variants of each (both classes through the same channels)
  training/work/spoof/calib/**.wav                         16 kHz and 8 kHz copies (one list, both channels)
  training/work/spoof/eval-16k/**.wav, eval-8k/**.wav      wideband and 8 kHz G.711 copies of the same clips
  training/lists/spoof-{train,calib,eval-16k,eval-8k}.tsv  path<TAB>bonafide|spoof<TAB>attack (relative to the dir)
"""
import argparse
import json
import os
import re
import sys
import tempfile
from typing import Dict, List, Tuple

import numpy as np
import torch
import torchaudio

from . import audio, cm_attacks, cm_split

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
WORK = os.path.join(TRAINING, "work", "spoof")
LISTS = os.path.join(TRAINING, "lists")
SEED = 20261202
SR = audio.SAMPLE_RATE_HZ

# Texts for the synthesisers: different licence texts per role, so no sentence is heard in two roles.
TEXT_FILES = {"train": ["GPL-3", "Apache-2.0", "GFDL-1.3"], "calib": ["MPL-2.0"], "eval": ["LGPL-2.1", "Artistic"]}
# Clips per role at scale 1: bona fide crops, and spoofs per attack.
BONA = {"train": 1600, "calib": 240, "eval": 300}
SPOOF_PER_ATTACK = {"train": 130, "calib": 60, "eval": 60}
CHANNELS_TRAIN = ["mu-law", "a-law", "gsm", "pcm"]
NARROW_TRAIN_SHARE = 0.25   # share of bona fide training crops from real 8 kHz IVR recordings
TELEPHONE_VARIANTS = 2      # telephone copies of each training clip, through different codecs
NARROW_HELDOUT = {"eval": 90, "calib": 45}   # real 8 kHz clips added to the 8 kHz held-out lists


def sentences(role: str, licence_dir: str = "/usr/share/common-licenses") -> List[str]:
    out = []
    for name in TEXT_FILES[role]:
        text = re.sub(r"\s+", " ", open(os.path.join(licence_dir, name), errors="ignore").read())
        for s in re.split(r"(?<=[.;:!?])\s+", text):
            words = re.sub(r"[^A-Za-z0-9,' ]", " ", s).split()
            while len(words) >= 6:
                n = min(len(words), 24)
                out.append(" ".join(words[:n]))
                words = words[n:]
    return out


def crop(x: np.ndarray, rng: np.random.Generator, lo_s: float = 2.0, hi_s: float = 6.0) -> np.ndarray:
    n = int(rng.uniform(lo_s, hi_s) * SR)
    if len(x) <= n:
        return x
    s = int(rng.integers(0, len(x) - n))
    return x[s: s + n]


def level(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random playback level (-32 to -16 dBFS RMS), so loudness says nothing about the class, and a faint noise
    floor (45-70 dB below the speech): synthesisers write exact digital silence, which no microphone does, and the
    model must not learn that shortcut."""
    rms = np.sqrt(np.mean(x ** 2)) + 1e-9
    y = x * (10 ** (rng.uniform(-32, -16) / 20) / rms)
    floor = np.sqrt(np.mean(y ** 2)) * 10 ** (-rng.uniform(45, 70) / 20)
    return (y + floor * rng.standard_normal(len(y))).astype(np.float32)


def make_clips(role: str, data_root: str, scale: float, rng: np.random.Generator) -> List[Tuple[str, str, np.ndarray]]:
    """[(label, attack, 16 kHz audio)] for one role: real crops and every attack of the role."""
    reals = [c for c in cm_split.real_clips(data_root) if c.role == role]
    wide = [c for c in reals if not c.narrow]        # 8 kHz recordings: held-out lists get them from narrow_real
    narrow = [c for c in reals if c.narrow] if role == "train" else []
    out = []
    n_bona = int(BONA[role] * scale)
    order = rng.permutation(len(wide))
    for i in range(n_bona):
        c = (narrow[int(rng.integers(len(narrow)))] if narrow and rng.random() < NARROW_TRAIN_SHARE
             else wide[order[i % len(wide)]])
        x = audio.trim(audio.load(c.path))
        if len(x) >= SR:
            out.append(("bonafide", c.speaker, level(crop(x, rng), rng)))
    n_spoof = int(SPOOF_PER_ATTACK[role] * scale)
    texts = sentences(role)
    for engine, settings in cm_split.ATTACKS[role].items():
        for setting in settings:
            attack = f"{engine}-{setting}"
            for _ in range(n_spoof):
                if engine in ("vocoder", "replay"):
                    c = wide[int(rng.integers(len(wide)))]
                    src = crop(audio.trim(audio.load(c.path)), rng)
                    if len(src) < SR:
                        continue
                    y = cm_attacks.copy_attack(engine, setting, src, rng)
                else:
                    text = " ".join(texts[int(rng.integers(len(texts)))] for _ in range(int(rng.integers(1, 3))))
                    try:
                        y = cm_attacks.synthesise(engine, setting, text, rng)
                    except Exception as e:   # a missing festival voice must not stop the rest
                        print(f"skip {attack}: {e}", file=sys.stderr)
                        break
                y = audio.trim(y)
                if len(y) >= SR:
                    out.append(("spoof", attack, level(crop(y, rng), rng)))
            print(f"{role}: {attack} done ({len(out)} clips)", flush=True)
    return out


def wideband(x: np.ndarray, rng: np.random.Generator, noises: List[np.ndarray]) -> np.ndarray:
    """Wideband variant: clean, or light noise, or a little room (for both classes alike)."""
    r = rng.random()
    if r < 0.3:
        return audio.add_noise(x, noises[int(rng.integers(len(noises)))], float(rng.uniform(15, 35)), rng)
    if r < 0.45:
        return audio.sox_effect(x, "reverb", str(int(rng.uniform(10, 40))))
    return x


def noise_bank(rng: np.random.Generator) -> List[np.ndarray]:
    white = rng.standard_normal(SR * 10).astype(np.float32)
    brown = np.cumsum(white) / 50
    brown = (brown - np.convolve(brown, np.ones(400) / 400, "same")).astype(np.float32)
    return [white, brown]


def handset(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A handset's colouring: one or two broad peaks or dips of up to 6 dB in the telephone band."""
    effects = []
    for _ in range(int(rng.integers(1, 3))):
        effects += ["equalizer", str(int(rng.uniform(300, 3300))), f"{rng.uniform(0.5, 2.0):.2f}q", f"{rng.uniform(-6, 6):.1f}"]
    return audio.sox_effect(x, *effects)


def line_noise(x: np.ndarray, rng: np.random.Generator, noises: List[np.ndarray]) -> np.ndarray:
    """Noise at 12-35 dB SNR on 40 % of calls, before the channel."""
    if rng.random() < 0.4:
        x = audio.add_noise(x, noises[int(rng.integers(len(noises)))], float(rng.uniform(12, 35)), rng)
    return x


def telephone_variant(x: np.ndarray, rng: np.random.Generator, noises: List[np.ndarray], codec: str) -> np.ndarray:
    """8 kHz channel, 16 kHz in and 8 kHz out: handset colouring and noise (both classes alike), band limit, codec."""
    if rng.random() < 0.5:
        x = handset(x, rng)
    return audio.telephone_8k(line_noise(x, rng, noises), codec, rng)


def upsampled(y8: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """8 kHz audio back at 16 kHz as the runtime hands it to the model (in floating point, no requantising), by a
    windowed-sinc resampler of random length and roll-off: what lies above 4 kHz is then the resampler's, and
    varying it keeps the model from learning one resampler's leakage as a sign of either class."""
    method = "kaiser_window" if rng.random() < 0.5 else "sinc_interpolation"   # this torchaudio's names
    y = torchaudio.functional.resample(torch.from_numpy(y8), 8000, SR, lowpass_filter_width=int(rng.integers(6, 65)),
                                       rolloff=float(rng.uniform(0.85, 0.99)), resampling_method=method)
    return y.numpy().astype(np.float32)


def write_list(name: str, rows: List[Tuple[str, str, str]]) -> None:
    os.makedirs(LISTS, exist_ok=True)
    with open(os.path.join(LISTS, f"spoof-{name}.tsv"), "w") as fh:
        for r in rows:
            fh.write("\t".join(r) + "\n")


def prep_train(clips, rng, noises) -> None:
    root = os.path.join(WORK, "train")
    feats, index, rows = [], [], []
    offset = 0
    for i, (label, attack, x) in enumerate(clips):
        rel = f"{label}/{i:05d}.wav"
        audio.write_wav(os.path.join(root, rel), x)
        rows.append((rel, label, attack if label == "spoof" else "-"))
        codecs = rng.choice(CHANNELS_TRAIN, size=TELEPHONE_VARIANTS, replace=False)
        variants = [("wide", wideband(x, rng, noises))]
        variants += [(str(c), upsampled(telephone_variant(x, rng, noises, str(c)), rng)) for c in codecs]
        for channel, y in variants:
            f = audio.fbank(y).astype(np.float16)
            feats.append(f)
            index.append({"clip": rel, "label": label, "attack": attack, "channel": channel,
                          "offset": offset, "frames": int(f.shape[0])})
            offset += f.shape[0]
        if i % 200 == 0:
            print(f"train feats {i}/{len(clips)}", flush=True)
    np.save(os.path.join(root, "feats.npy"), np.concatenate(feats))
    with open(os.path.join(root, "feats.json"), "w") as fh:
        json.dump(index, fh)
    write_list("train", rows)


def write_8k(x: np.ndarray, path: str, rng: np.random.Generator, noises) -> None:
    """The 8 kHz list's channel: band limit and G.711 (mu-law or A-law), stored as 8 kHz PCM-16 as decoded."""
    codec = "mu-law" if rng.random() < 0.7 else "a-law"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    audio.write_wav(path, audio.telephone_8k(line_noise(x, rng, noises), codec, rng), 8000)


def narrow_real(role: str, data_root: str, rng: np.random.Generator, n: int) -> List[Tuple[str, np.ndarray]]:
    """Real narrow-band speech (FSDD digits, Asterisk prompts): clips of one speaker joined to 3-6 s, at 8 kHz."""
    by_spk: Dict[str, List[str]] = {}
    for c in cm_split.real_clips(data_root):
        if c.role == role and c.narrow:
            by_spk.setdefault(c.speaker, []).append(c.path)
    spks = sorted(by_spk)
    out = []
    for i in range(n):
        spk = spks[i % len(spks)]
        target, parts = rng.uniform(3.0, 6.0) * 8000, []
        while sum(len(x) for x in parts) < target:
            parts.append(audio.trim(audio.load(by_spk[spk][int(rng.integers(len(by_spk[spk])))], 8000), 8000))
        out.append((spk, np.concatenate(parts)[: int(6.0 * 8000)]))
    return out


def bonafide_source(speaker: str, narrow: bool = False) -> str:
    """The held-out lists' third column for a bona fide clip: its corpus, real 8 kHz recordings marked as such."""
    corpus = {"ls": "librispeech", "cv": "common-voice"}.get(speaker.split(":")[0], speaker.split(":")[0])
    return f"real-8k-{corpus.split('-')[0]}" if narrow else corpus


def prep_heldout(role: str, clips, data_root: str, rng, noises) -> None:
    """calib: one list with 16 kHz and 8 kHz files; eval: an eval-16k and an eval-8k list of the same clips."""
    wide_dir = "eval-16k" if role == "eval" else "calib"
    tel_dir = "eval-8k" if role == "eval" else "calib"
    wide_rows, tel_rows = [], []
    for i, (label, attack, x) in enumerate(clips):
        tag = attack if label == "spoof" else bonafide_source(attack)
        rel16 = f"{label}/{i:05d}-16k.wav" if role == "calib" else f"{label}/{i:05d}.wav"
        audio.write_wav(os.path.join(WORK, wide_dir, rel16), wideband(x, rng, noises))
        wide_rows.append((rel16, label, tag))
        rel8 = f"{label}/{i:05d}-8k.wav" if role == "calib" else f"{label}/{i:05d}.wav"
        write_8k(x, os.path.join(WORK, tel_dir, rel8), rng, noises)
        tel_rows.append((rel8, label, tag))
    for j, (spk, x8) in enumerate(narrow_real(role, data_root, rng, NARROW_HELDOUT[role])):
        rel = f"bonafide/narrow-{j:04d}.wav"
        path = os.path.join(WORK, tel_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:   # the real 8 kHz voice through G.711 too
            src, mid = os.path.join(tmp, "a.wav"), os.path.join(tmp, "b.wav")
            audio.write_wav(src, x8, 8000)
            audio.sox(src, "-e", "mu-law", mid)
            audio.sox(mid, "-e", "signed-integer", "-b", "16", path)
        tel_rows.append((rel, "bonafide", bonafide_source(spk, narrow=True)))
    if role == "eval":
        write_list("eval-16k", wide_rows)
        write_list("eval-8k", tel_rows)
    else:
        write_list("calib", wide_rows + tel_rows)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-root", default=os.path.join(TRAINING, "..", "..", "shared", "data"))
    p.add_argument("--roles", default="train,calib,eval")
    p.add_argument("--scale", type=float, default=1.0, help="multiply every clip count (0.2 for a quick interim set)")
    a = p.parse_args(argv)
    for role in a.roles.split(","):
        if role not in cm_split.ATTACKS:
            raise SystemExit(f"unknown role {role!r}")
        role_index = ["train", "calib", "eval"].index(role)
        rng = np.random.default_rng([SEED, role_index])
        torch.manual_seed(SEED + role_index)   # Griffin-Lim's random initial phase
        noises = noise_bank(rng)
        clips = make_clips(role, a.data_root, a.scale, rng)
        if role == "train":
            prep_train(clips, rng, noises)
        else:
            prep_heldout(role, clips, a.data_root, rng, noises)
        print(f"{role}: {len(clips)} clips written", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
