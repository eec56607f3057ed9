"""Data preparation: speaker-disjoint split, cropped evaluation/calibration audio and lists, augmented training fbank.

Usage: /usr/bin/python3 -m timbre_train.prep --data-root /work/shared/data [--debian-root /] [--work training/work]
Writes training/work/eval/<set>/{16k,8k}/..., training/lists/*.tsv, training/work/feats/{feats.f16,index.json}.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from multiprocessing import Pool
from typing import Dict, List, Tuple

import numpy as np
import torchaudio

from . import audio
from .sources import Voice, all_voices
from .splits import split

SR = audio.SAMPLE_RATE_HZ
LONG_ENROL_S, LONG_PROBE_S, LONG_MAX_PROBES = 30.0, 10.0, 20
LS_ENROL_S, LS_PROBE_S = 8.0, 4.0
SC_ENROL_CLIPS, SC_PROBE_CLIPS, SC_MAX_PROBES = 10, 3, 3
TRAIN_CAP_S = 300.0   # cap per training voice (long IVR voices would otherwise dominate the fbank store)


def log(msg: str) -> None:
    print(f"[prep {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def clips(v: Voice, need_s: float = 1e9):
    """Trimmed clips of a voice in file order until need_s seconds are collected."""
    got = 0.0
    for f in v.files:
        try:
            x = audio.trim(audio.load(f))
        except Exception as exc:  # a damaged file in a package: skip it, say so
            log(f"skip {f}: {exc}")
            continue
        if len(x) < SR // 10:
            continue
        yield x
        got += len(x) / SR
        if got >= need_s:
            return


def take(it, seconds: float):
    """Concatenate clips from the iterator until `seconds`, truncate; None when the voice runs out."""
    buf, n = [], 0
    need = int(seconds * SR)
    for x in it:
        buf.append(x)
        n += len(x)
        if n >= need:
            return np.concatenate(buf)[:need]
    return None


class EvalWriter:
    """Writes 16 kHz WAVs under <set>/16k and their 8 kHz mu-law copies under <set>/8k."""

    def __init__(self, work: str, name: str):
        self.root = os.path.join(work, "eval", name)

    def put(self, rel: str, x: np.ndarray) -> str:
        p16 = os.path.join(self.root, "16k", rel)
        audio.write_wav(p16, x)
        audio.mulaw_8k_file(p16, os.path.join(self.root, "8k", rel))
        return rel


def build_long(voices: List[Voice], w: EvalWriter):
    enrol, probes = [], []   # (spk, [rel]), (spk, rel)
    for v in voices:
        it = clips(v)
        e = take(it, LONG_ENROL_S)
        if e is None:
            log(f"{v.voice_id}: less than {LONG_ENROL_S} s, left out")
            continue
        enrol.append((v.voice_id, [w.put(f"{v.voice_id}/enrol.wav", e)]))
        for i in range(LONG_MAX_PROBES):
            p = take(it, LONG_PROBE_S)
            if p is None:
                break
            probes.append((v.voice_id, w.put(f"{v.voice_id}/probe-{i:02d}.wav", p)))
        log(f"{v.voice_id}: enrol {LONG_ENROL_S:.0f} s, {sum(1 for s, _ in probes if s == v.voice_id)} probes")
    return enrol, probes


def build_ls(voices: List[Voice], w: EvalWriter):
    enrol, probes = [], []
    for v in voices:
        x = audio.trim(audio.load(v.files[0]))
        enrol.append((v.voice_id, [w.put(f"{v.voice_id}/enrol.wav", x[: int(LS_ENROL_S * SR)])]))
        probes.append((v.voice_id, w.put(f"{v.voice_id}/probe.wav", x[-int(LS_PROBE_S * SR):])))
    return enrol, probes


def build_sc(voices: List[Voice], w: EvalWriter):
    enrol, probes = [], []
    for v in voices:
        xs = [audio.trim(audio.load(f)) for f in v.files]
        names = [os.path.splitext(os.path.basename(f))[0] for f in v.files]
        enrol.append((v.voice_id, [w.put(f"{v.voice_id}/enrol-{names[i]}.wav", xs[i]) for i in range(SC_ENROL_CLIPS)]))
        rest = list(range(SC_ENROL_CLIPS, len(xs)))
        for k in range(min(SC_MAX_PROBES, len(rest) // SC_PROBE_CLIPS)):
            idx = rest[k * SC_PROBE_CLIPS:(k + 1) * SC_PROBE_CLIPS]
            probes.append((v.voice_id, w.put(f"{v.voice_id}/probe-{k}.wav", np.concatenate([xs[i] for i in idx]))))
    return enrol, probes


def trials(enrol, probes, lang: Dict[str, str] = None, which: str = "all"):
    out = []
    for ps, pf in probes:
        for es, _ in enrol:
            if es == ps:
                out.append((es, pf, "target"))
            elif which == "all" or (which == "same-lang") == (lang[es] == lang[ps]):
                out.append((es, pf, "nontarget"))
    return out


def write_tsv(path: str, rows) -> None:
    with open(path, "w") as fh:
        for r in rows:
            fh.write("\t".join(list(r[:1]) + (r[1] if isinstance(r[1], list) else [r[1]]) + list(r[2:])) + "\n")


def build_eval(sets: Dict[str, List[Voice]], work: str, lists: str) -> None:
    os.makedirs(lists, exist_ok=True)
    lang = {v.voice_id: v.language for vs in sets.values() for v in vs}
    e, p = build_long(sets["long_eval"], EvalWriter(work, "long"))
    write_tsv(f"{lists}/long.enrol.tsv", e)
    for which in ["all", "same-lang", "cross-lang"]:
        write_tsv(f"{lists}/long.{which}.trials.tsv", trials(e, p, lang, which))
    for name, builder, key in [("librispeech", build_ls, "ls_eval"), ("speech-commands", build_sc, "sc_eval")]:
        e, p = builder(sets[key], EvalWriter(work, name))
        write_tsv(f"{lists}/{name}.enrol.tsv", e)
        write_tsv(f"{lists}/{name}.trials.tsv", trials(e, p))
        log(f"{name}: {len(e)} enrolled, {len(p)} probes")
    # calibration: long + LibriSpeech + Speech Commands speakers of their own, both channels pooled in one list
    w = EvalWriter(work, "calib")
    parts = [build_long(sets["long_calib"], w), build_ls(sets["ls_calib"], w), build_sc(sets["sc_calib"], w)]
    ce, cp = [], []
    for cond in ["16k", "8k"]:
        for e, p in parts:
            ee = [(f"{s}@{cond}", [f"{cond}/{f}" for f in fs]) for s, fs in e]
            pp = [(f"{s}@{cond}", f"{cond}/{f}") for s, f in p]
            ce += ee
            cp.append((ee, pp))
    write_tsv(f"{lists}/calib.enrol.tsv", ce)
    rows = []
    for ee, pp in cp:   # nontargets only within one part and one channel (like the evaluation lists)
        rows += trials(ee, pp)
    write_tsv(f"{lists}/calib.trials.tsv", rows)
    # the calibration root holds both channels: <calib>/16k/... and <calib>/8k/...
    log(f"calibration: {len(ce)} enrolments, {len(rows)} trials")


# ---------------------------------------------------------------- training features
def _noise_bank(train: List[Voice], work: str) -> str:
    """Babble from training speakers + coloured noise, one file reused by every worker."""
    path = os.path.join(work, "feats", "noise.npz")
    if os.path.exists(path):
        return path
    rng = np.random.default_rng(7)
    ls = [v for v in train if v.source == "librispeech-subset"]
    n = 60 * SR
    babble = np.zeros(n, np.float32)
    for v in rng.choice(ls, size=min(24, len(ls)), replace=False):
        x = audio.trim(audio.load(v.files[0]))
        x = np.tile(x, n // len(x) + 1)[:n]
        babble += np.roll(x, int(rng.integers(0, n))) / (np.std(x) + 1e-6)
    white = rng.standard_normal(n).astype(np.float32)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.maximum(np.arange(len(spec)), 1)
    pink = np.fft.irfft(spec / np.sqrt(f), n).astype(np.float32)
    brown = np.fft.irfft(spec / f, n).astype(np.float32)
    t = np.arange(n) / SR
    hum = sum(np.sin(2 * np.pi * 50 * k * t) / k for k in range(1, 8)).astype(np.float32) + 0.05 * white
    np.savez(path, babble=babble, white=white, pink=pink, brown=brown, hum=hum)
    return path


def _reverb(x, rng):
    return audio.sox_effect(x, "reverb", str(int(rng.uniform(20, 90))), str(int(rng.uniform(20, 80))),
                            str(int(rng.uniform(20, 100))), "100", str(int(rng.uniform(0, 30))), "0")


def _variants(x: np.ndarray, rng: np.random.Generator, noise, full: bool) -> List[Tuple[str, np.ndarray]]:
    """Contact-centre augmentation; `full` = all six copies, else three (speed-perturbed classes)."""
    amb = lambda: noise[rng.choice(["white", "pink", "brown", "hum"])]
    gain = lambda y, lo, hi: (y * 10 ** (rng.uniform(lo, hi) / 20) / (np.abs(y).max() + 1e-6)).astype(np.float32)
    out = [("clean", x),
           ("mulaw+noise", audio.telephone(gain(audio.add_noise(x, amb(), rng.uniform(5, 25), rng), -12, -1),
                                           "mu-law", rng)),
           ("gsm", audio.telephone(gain(x, -20, -1), "gsm", rng))]
    if full:
        out += [("alaw+babble", audio.telephone(gain(audio.add_noise(x, noise["babble"], rng.uniform(5, 20), rng),
                                                     -12, -1), "a-law", rng)),
                ("reverb+noise", gain(audio.add_noise(_reverb(x, rng), amb(), rng.uniform(8, 30), rng), -20, -1)),
                ("reverb+mulaw-quiet", audio.telephone(gain(_reverb(x, rng), -35, -20), "mu-law", rng))]
    return out


def training_audio(v: Voice) -> np.ndarray:
    """A training voice's trimmed clips, concatenated and capped at TRAIN_CAP_S (empty when it has none)."""
    return np.concatenate(list(clips(v, TRAIN_CAP_S)) or [np.zeros(0, np.float32)])[: int(TRAIN_CAP_S * SR)]


def _voice_feats(job):
    v, noise_path, seed = job
    rng = np.random.default_rng(seed)
    noise = dict(np.load(noise_path))
    x = training_audio(v)
    if len(x) < SR:
        return v.voice_id, []
    out = []
    for speed in [1.0, 0.9, 1.1]:
        xs = x if speed == 1.0 else audio.sox_effect(x, "speed", str(speed))
        cls = v.voice_id if speed == 1.0 else f"{v.voice_id}@sp{speed}"
        for name, y in _variants(xs, rng, noise, full=speed == 1.0):
            out.append((cls, name, audio.fbank(y, dither=1.0).astype(np.float16)))
    return v.voice_id, out


def synthetic_voices(work: str) -> List[Voice]:
    """A minor extra: flite and espeak-ng voices reading licence texts (generated once under work/synthetic)."""
    texts = []
    for name in ["Apache-2.0", "MPL-2.0", "Artistic", "GPL-3"]:
        p = f"/usr/share/common-licenses/{name}"
        if os.path.exists(p):
            texts.append(" ".join(open(p).read().split())[:4000])
    if not texts:
        return []
    cmds = {f"flite-{v}": ["flite", "-voice", v, "-t", "{t}", "-o", "{o}"] for v in ["kal16", "awb", "rms", "slt"]}
    cmds.update({f"espeak-{v.replace('+', '-')}": ["espeak-ng", "-v", v, "-w", "{o}", "{t}"]
                 for v in ["en+m1", "en+m3", "en+f2", "en+f4", "en-us+m7", "de+f3"]})
    out = []
    for vid, cmd in cmds.items():
        files = []
        for i, t in enumerate(texts[:2]):
            o = os.path.join(work, "synthetic", vid, f"{i}.wav")
            os.makedirs(os.path.dirname(o), exist_ok=True)
            if not os.path.exists(o):
                try:
                    subprocess.run([c.format(t=t[:2000], o=o) for c in cmd], check=True, capture_output=True,
                                   timeout=120)
                except Exception as exc:
                    log(f"synthetic {vid}: {exc}")
                    continue
            files.append(o)
        if files:
            out.append(Voice("syn-" + vid, "synthetic", "en", "generated (flite BSD-like / espeak-ng output)", False,
                             "synthetic", files))
    return out


def build_train(train: List[Voice], work: str, workers: int) -> None:
    fdir = os.path.join(work, "feats")
    os.makedirs(fdir, exist_ok=True)
    noise_path = _noise_bank(train, work)
    jobs = [(v, noise_path, 1000 + i) for i, v in enumerate(train)]
    index, offset = [], 0
    with open(os.path.join(fdir, "feats.f16"), "wb") as fh, Pool(workers) as pool:
        for k, (vid, items) in enumerate(pool.imap(_voice_feats, jobs, chunksize=1)):
            for cls, name, f in items:
                fh.write(f.tobytes())
                index.append({"cls": cls, "voice": vid, "aug": name, "offset": offset, "frames": int(f.shape[0])})
                offset += f.shape[0]
            if k % 25 == 0:
                log(f"train features: {k + 1}/{len(jobs)} voices, {offset / 360000:.1f} h of frames")
    with open(os.path.join(fdir, "index.json"), "w") as fh:
        json.dump({"dim": 80, "dtype": "float16", "items": index,
                   "voices": [{"id": v.voice_id, "source": v.source, "licence": v.licence} for v in train]}, fh)
    log(f"train features done: {len(index)} segments, {offset} frames ({offset / 360000:.1f} h)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-root", required=True)
    ap.add_argument("--debian-root", default="/")
    ap.add_argument("--work", default=os.path.join(os.path.dirname(__file__), "..", "work"))
    ap.add_argument("--lists", default=os.path.join(os.path.dirname(__file__), "..", "lists"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument("--skip-train", action="store_true")
    a = ap.parse_args(argv)
    voices = all_voices(a.data_root, a.debian_root)
    ls_seconds = {}
    for v in voices:
        if v.source == "librispeech-subset":
            info = torchaudio.info(v.files[0])
            ls_seconds[v.voice_id] = info.num_frames / info.sample_rate
    sets = split(voices, ls_seconds)
    sets["train"] += synthetic_voices(a.work)
    os.makedirs(a.lists, exist_ok=True)
    with open(os.path.join(a.lists, "split.tsv"), "w") as fh:
        for k in sorted(sets):
            for v in sorted(sets[k], key=lambda v: v.voice_id):
                fh.write(f"{k}\t{v.voice_id}\t{v.source}\t{v.language}\t{v.licence}\t{len(v.files)}\n")
    log(" ".join(f"{k}={len(v)}" for k, v in sets.items()))
    if not a.skip_eval:
        build_eval(sets, a.work, a.lists)
    if not a.skip_train:
        build_train(sets["train"], a.work, a.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
