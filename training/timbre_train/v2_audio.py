"""Audio of timbre-spk-v2's held-out sets (the lists of `v2_sets`), under training/work/eval/v2-*.

Usage: /usr/bin/python3 -m training.timbre_train.v2_audio [--data-root /work/shared/data] [--work training/work]
Each file is made from its recipe alone, with a generator seeded by its own name, so a rerun (or a resumed one: files
that exist are kept) gives the same audio. Layout (the root to give `timbre eval --root`):
  eval/v2-mismatch/<spk>/...            8 kHz PCM WAV, each file through the channel in lists/v2-mismatch.channels.tsv
  eval/v2-{short,common-voice,cross-session}/16k/...   16 kHz PCM WAV, and .../8k/... the same through G.711 mu-law
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from typing import Dict

import numpy as np

from . import audio
from .v2_sets import TRAINING, Material, build, rank, read_tsv

SR = audio.SAMPLE_RATE_HZ
PAUSE_KEEP_FRAMES = 15      # long pauses inside a recording are cut to 150 ms, so seconds of audio ~ net speech
BABBLE_TALKERS = 6


def log(msg: str) -> None:
    print(f"[v2_audio {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def squeeze_pauses(x: np.ndarray, floor_db: float = 35.0) -> np.ndarray:
    """Edge-trim, then shorten every run of 10-ms frames quieter than floor_db below the loudest to 150 ms."""
    x = audio.trim(x)
    hop = SR // 100
    n = len(x) // hop
    if n == 0:
        return x
    e = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-10)
    quiet = e <= max(e.max() - floor_db, -70.0)
    keep = np.ones(n, bool)
    run = 0
    for i in range(n):
        run = run + 1 if quiet[i] else 0
        keep[i] = run <= PAUSE_KEEP_FRAMES
    return np.concatenate([x[i * hop:(i + 1) * hop] for i in np.nonzero(keep)[0]] + [x[n * hop:]])


def material_audio(m: Material, data_root: str) -> np.ndarray:
    return np.concatenate([squeeze_pauses(audio.load(os.path.join(data_root, f))) for f in m.files])


def noise_bank(data_root: str, lists: str) -> Dict[str, np.ndarray]:
    """White and pink noise, and babble of BABBLE_TALKERS Speech Commands speakers of v1's held-out set (people in
    no v2 set and never trained on); seeded, 60 s each."""
    rng = np.random.default_rng(rank("noise-bank") % 2 ** 32)
    n = 60 * SR
    white = rng.standard_normal(n).astype(np.float32)
    spec = np.fft.rfft(rng.standard_normal(n))
    pink = np.fft.irfft(spec / np.sqrt(np.maximum(np.arange(len(spec)), 1)), n).astype(np.float32)
    sc_eval = sorted((r[1] for r in read_tsv(os.path.join(lists, "split.tsv"), header=False) if r[0] == "sc_eval"),
                     key=lambda s: rank("babble", s))[:BABBLE_TALKERS]
    index = read_tsv(os.path.join(data_root, "speech-commands-v002-test", "index.tsv"))
    babble = np.zeros(n, np.float32)
    for s in sc_eval:
        words = [audio.trim(audio.load(os.path.join(data_root, "speech-commands-v002-test", r["file"])))
                 for r in index if "sc-" + r["speaker"] == s]
        x = np.concatenate(words)
        x = np.tile(x, n // len(x) + 1)[:n]
        babble += np.roll(x, int(rng.integers(0, n))) / (np.std(x) + 1e-6)
    return {"white": white, "pink": pink, "babble": babble}


def _run(cmd) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def channel(x: np.ndarray, r: dict, dst: str) -> None:
    """Handset band limit, 8 kHz, the codec at its bit rate, decoded to an 8 kHz PCM-16 WAV at dst."""
    with tempfile.TemporaryDirectory() as tmp:
        src, band = os.path.join(tmp, "in.wav"), os.path.join(tmp, "band.wav")
        audio.write_wav(src, x)
        audio.sox(src, "-r", "8000", "-e", "signed-integer", "-b", "16", band, "sinc", r["band"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        codec, rate = r["codec"], r["bit_rate"]
        if codec in ("mu-law", "a-law"):
            mid = os.path.join(tmp, "mid.wav")
            audio.sox(band, "-e", codec, mid)
            audio.sox(mid, "-e", "signed-integer", "-b", "16", dst)
            return
        if codec == "gsm":
            mid = os.path.join(tmp, "mid.gsm")
            audio.sox(band, mid)
            audio.sox(mid, "-e", "signed-integer", "-b", "16", dst)
            return
        ff = ["ffmpeg", "-v", "error", "-y"]
        if codec == "opus":
            mid = os.path.join(tmp, "mid.opus")
            _run(ff + ["-i", band, "-c:a", "libopus", "-b:a", str(rate), "-application", "voip", mid])
            _run(ff + ["-i", mid, "-ar", "8000", "-ac", "1", "-c:a", "pcm_s16le", dst])
        elif codec == "g726":
            mid = os.path.join(tmp, "mid.g726")
            _run(ff + ["-i", band, "-c:a", "g726", "-b:a", str(rate), "-f", "g726", mid])
            _run(ff + ["-f", "g726", "-ar", "8000", "-code_size", str(rate // 8000), "-i", mid, "-c:a", "pcm_s16le", dst])
        elif codec == "g723_1":
            mid = os.path.join(tmp, "mid.tco")
            _run(ff + ["-i", band, "-c:a", "g723_1", "-b:a", str(rate), "-f", "g723_1", mid])
            _run(ff + ["-i", mid, "-ar", "8000", "-ac", "1", "-c:a", "pcm_s16le", dst])
        else:
            raise ValueError(f"unknown codec {codec!r}")


def at_level(x: np.ndarray, peak_dbfs: float) -> np.ndarray:
    return (x * 10 ** (peak_dbfs / 20) / (np.abs(x).max() + 1e-9)).astype(np.float32)


def cut(x: np.ndarray, start_s: float, seconds, what: str) -> np.ndarray:
    a = int(start_s * SR)
    b = len(x) if seconds is None else a + int(seconds * SR)
    if b > len(x):
        raise ValueError(f"{what}: needs {b / SR:.1f} s of material, the speaker has {len(x) / SR:.1f} s")
    return x[a:b]


# set by main() before the worker pool forks, so the (large) material and noise are shared, not pickled per file
SHARED: dict = {}


def make(job) -> str:
    rel, r = job
    mats, data_root, eval_root, noise = SHARED["mats"], SHARED["data_root"], SHARED["eval_root"], SHARED["noise"]
    set_name, file_rel = rel.split("/", 1)
    if set_name == "v2-mismatch":
        dst = os.path.join(eval_root, rel)
        if os.path.exists(dst):
            return rel
        x = cut(mats[r["speaker"]], r["start"], r["seconds"], rel)
        if r["noise"] != "none":
            rng = np.random.default_rng(rank("noise-draw", rel) % 2 ** 32)
            x = audio.add_noise(x, noise[r["noise"]], r["snr_db"], rng)
        tmp = dst + ".tmp.wav"
        channel(at_level(x, r["level"]), r, tmp)
        os.replace(tmp, dst)
        return rel
    p16 = os.path.join(eval_root, set_name, "16k", file_rel)
    p8 = os.path.join(eval_root, set_name, "8k", file_rel)
    if os.path.exists(p8):
        return rel
    if "clips" in r:
        x = np.concatenate([squeeze_pauses(audio.load(os.path.join(data_root, f))) for f in r["clips"]])
    else:
        x = cut(mats[r["speaker"]], r["start"], r["seconds"], rel)
    audio.write_wav(p16, x)
    audio.mulaw_8k_file(p16, p8 + ".tmp.wav")
    os.replace(p8 + ".tmp.wav", p8)
    return rel


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-root", default=os.path.join(TRAINING, "..", "..", "shared", "data"))
    ap.add_argument("--lists", default=os.path.join(TRAINING, "lists"))
    ap.add_argument("--work", default=os.path.join(TRAINING, "work"))
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    _, mats, recipes = build(a.data_root, a.lists)
    log(f"{len(mats)} speakers' material, {len(recipes)} files to write")
    loaded = {k: material_audio(m, a.data_root) for k, m in sorted(mats.items())}
    for k, x in sorted(loaded.items()):
        log(f"{k}: {len(x) / SR:.0f} s of material")
    noise = noise_bank(a.data_root, a.lists)
    eval_root = os.path.join(a.work, "eval")
    SHARED.update(mats=loaded, data_root=a.data_root, eval_root=eval_root, noise=noise)
    jobs = sorted(recipes.items())
    with Pool(a.workers) as pool:
        for i, _ in enumerate(pool.imap_unordered(make, jobs, chunksize=4)):
            if i % 100 == 0:
                log(f"{i + 1}/{len(jobs)} files")
    log(f"done: {len(jobs)} files under {eval_root}/v2-*")
    return 0


if __name__ == "__main__":
    sys.exit(main())
