"""Training features for timbre-spk-v2: the `train` speakers of lists/v2-split.tsv, augmented for calls.

Usage: /usr/bin/python3 -m training.timbre_train.v2_prep --data-root DIR [--debian-root /] [--work training/work/v2]
       [--limit N] (the first N voices only: a smoke run)
Writes <work>/feats/{feats.f16,index.json} in the format train.py reads (v1's layout; each item also carries
`seconds`, the voice's clean audio, for speaker-balanced sampling). A person is one class whatever the corpus:
LibriSpeech speakers pool their train-clean-100 utterance with their train-clean-5 chapters.

Augmentation (issue 12): every copy of a voice goes through its own randomly drawn chain, so the crops a class
is trained on come through different channels, as an enrolment and a later call do:
  clean;  CHANNEL_COPIES copies each through a telephone codec drawn from G.711 mu-law and A-law, GSM 06.10,
  Opus 6-12 kbit/s, G.726 16-32 kbit/s, G.723.1 (the codecs of v2_audio, with a handset band limit drawn
  per copy), after noise (white, pink, brown, hum) or babble of 24 training speakers at 5-20 dB SNR (most copies),
  sox reverberation (some) and a level of -35 to -3 dBFS; one wide-band copy with reverberation and noise;
  speed 0.9 and 1.1 as classes of their own (clean + two channel copies each), as WeSpeaker does.
"""
import argparse
import json
import os
import sys
import time
from multiprocessing import Pool
from typing import Dict, List

import numpy as np

from . import audio
from .prep import TRAIN_CAP_S, _noise_bank, _reverb, synthetic_voices, training_audio
from .sources import Voice, all_voices, common_voice, librispeech_train_clean_5
from .v2_audio import at_level, channel
from .v2_sets import TRAINING, read_tsv

SR = audio.SAMPLE_RATE_HZ
CHANNEL_COPIES = 5
CODECS = [("mu-law", 64000), ("a-law", 64000), ("gsm", 13200), ("opus", 6000), ("opus", 8000), ("opus", 12000),
          ("g726", 16000), ("g726", 24000), ("g726", 32000), ("g723_1", 6300)]


def log(msg: str) -> None:
    print(f"[v2_prep {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def training_voices(data_root: str, debian_root: str, lists: str, work: str) -> List[Voice]:
    """The v2 split's `train` speakers that exist here, one Voice per person (files of all its corpora)."""
    allowed = {r[1] for r in read_tsv(os.path.join(lists, "v2-split.tsv"), header=False) if r[0] == "train"}
    found: Dict[str, Voice] = {}
    for v in (all_voices(data_root, debian_root) + librispeech_train_clean_5(data_root) + common_voice(data_root)
              + synthetic_voices(os.path.join(work, ".."))):
        if v.voice_id not in allowed or v.copyleft:
            continue
        if v.voice_id in found:
            found[v.voice_id].files += v.files
            found[v.voice_id].source += "+" + v.source
        else:
            found[v.voice_id] = Voice(v.voice_id, v.source, v.language, v.licence, v.copyleft, v.kind, list(v.files))
    return [found[k] for k in sorted(found)]


def random_call(x: np.ndarray, rng: np.random.Generator, noise: Dict[str, np.ndarray]) -> np.ndarray:
    """One drawn call channel at 16 kHz in and out: [reverb] [noise | babble] level, band limit, codec, 8 kHz."""
    if rng.random() < 0.3:
        x = _reverb(x, rng)
    if rng.random() < 0.8:
        kind = rng.choice(["white", "pink", "brown", "hum", "babble", "babble"])
        x = audio.add_noise(x, noise[kind], rng.uniform(5, 20), rng)
    codec, rate = CODECS[int(rng.integers(0, len(CODECS)))]
    recipe = {"codec": codec, "bit_rate": rate, "band": f"{int(rng.uniform(150, 350))}-{int(rng.uniform(3100, 3700))}"}
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"v2-prep-{os.getpid()}-{int(rng.integers(1 << 30))}.wav")
    try:
        channel(at_level(x, rng.uniform(-35, -3)), recipe, out)
        return audio.load(out)
    finally:
        if os.path.exists(out):
            os.remove(out)


def _voice_feats(job):
    v, noise_path, seed, recipe = job
    rng, noise = np.random.default_rng(seed), dict(np.load(noise_path))
    x = training_audio(v)[: int(recipe["max_seconds"] * SR)]
    if len(x) < SR:
        return v.voice_id, [], 0.0
    out = []
    for speed in [1.0, 0.9, 1.1] if recipe["speeds"] else [1.0]:
        xs = x if speed == 1.0 else audio.sox_effect(x, "speed", str(speed))
        cls = v.voice_id if speed == 1.0 else f"{v.voice_id}@sp{speed}"
        copies = [("clean", xs)]
        n_calls = recipe["channel_copies"] if speed == 1.0 else 2
        copies += [(f"call-{k}", random_call(xs, rng, noise)) for k in range(n_calls)]
        if speed == 1.0:
            amb = noise[rng.choice(["white", "pink", "brown", "babble"])]
            copies.append(("wide-reverb+noise", at_level(audio.add_noise(_reverb(xs, rng), amb, rng.uniform(5, 20), rng),
                                                         rng.uniform(-30, -1))))
        for name, y in copies:
            out.append((cls, name, audio.fbank(y, dither=1.0).astype(np.float16)))
    return v.voice_id, out, len(x) / SR


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-root", required=True)
    ap.add_argument("--debian-root", default="/")
    ap.add_argument("--lists", default=os.path.join(TRAINING, "lists"))
    ap.add_argument("--work", default=os.path.join(TRAINING, "work", "v2"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only the first N voices (a smoke run)")
    # The quick recipe (--channel-copies 3 --no-speeds --max-seconds 120) builds in about a quarter of the time.
    ap.add_argument("--channel-copies", type=int, default=CHANNEL_COPIES, help="call-channel copies per voice")
    ap.add_argument("--no-speeds", action="store_true", help="no speed 0.9 / 1.1 classes")
    ap.add_argument("--max-seconds", type=float, default=TRAIN_CAP_S, help="clean audio used per voice, at most")
    a = ap.parse_args(argv)
    recipe = {"channel_copies": a.channel_copies, "speeds": not a.no_speeds, "max_seconds": a.max_seconds}
    voices = all_train = training_voices(a.data_root, a.debian_root, a.lists, a.work)
    if a.limit:
        rng = np.random.default_rng(0)
        voices = sorted(rng.choice(voices, size=min(a.limit, len(voices)), replace=False).tolist(),
                        key=lambda v: v.voice_id)
    by_src: Dict[str, int] = {}
    for v in voices:
        by_src[v.source] = by_src.get(v.source, 0) + 1
    log(f"{len(voices)} training voices: " + ", ".join(f"{k} {n}" for k, n in sorted(by_src.items())))
    fdir = os.path.join(a.work, "feats")
    os.makedirs(fdir, exist_ok=True)
    noise_path = _noise_bank(all_train, a.work)   # babble of training speakers
    jobs = [(v, noise_path, 2000 + i, recipe) for i, v in enumerate(voices)]
    index, offset = [], 0
    with open(os.path.join(fdir, "feats.f16.tmp"), "wb") as fh, Pool(a.workers) as pool:
        for k, (vid, items, seconds) in enumerate(pool.imap(_voice_feats, jobs, chunksize=1)):
            for cls, name, f in items:
                fh.write(f.tobytes())
                index.append({"cls": cls, "voice": vid, "aug": name, "offset": offset, "frames": int(f.shape[0]),
                              "seconds": round(seconds, 2)})
                offset += f.shape[0]
            if k % 25 == 0:
                log(f"train features: {k + 1}/{len(jobs)} voices, {offset / 360000:.1f} h of frames")
    os.replace(os.path.join(fdir, "feats.f16.tmp"), os.path.join(fdir, "feats.f16"))
    with open(os.path.join(fdir, "index.json"), "w") as fh:
        json.dump({"dim": 80, "dtype": "float16", "items": index, "recipe": recipe,
                   "voices": [{"id": v.voice_id, "source": v.source, "licence": v.licence} for v in voices]}, fh)
    log(f"train features done: {len(index)} segments, {offset} frames ({offset / 360000:.1f} h)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
