"""Countermeasure (CM) split, decided before training: which real speakers and which attacks go to which role.

Roles: "train" (reaches a gradient), "calib" (fits the logistic calibration only) and "eval" (measured only).
Real speakers and whole spoofing engines/vocoders/replay settings are disjoint across roles, so the eval lists
measure unseen people and unseen attacks. Copyleft audio (FSDD, CC BY-SA) never reaches training.
"""
import csv
import glob
import hashlib
import os
from dataclasses import dataclass
from typing import List

from .sources import asterisk

# Mini LibriSpeech speakers (also present in librispeech-subset, where the same people are held out too).
LS_EVAL = {"1088", "1737", "3526", "5789", "7859"}
LS_CALIB = {"332", "4680"}
# FSDD: real 8 kHz speech (CC BY-SA 4.0: measurement only).
FSDD_EVAL = {"george", "jackson", "lucas", "yweweler"}
FSDD_CALIB = {"nicolas", "theo"}
# Asterisk IVR voices (real 8 kHz): the CC BY 3.0 ones train, the CC BY-SA ones only measure / calibrate.
ASTERISK_ROLES = {"asterisk-it-carlo": "train", "asterisk-ru-ivrvoice": "train",
                  "asterisk-en-allison": "eval", "asterisk-fr-june": "calib"}

# Attacks by role. A name is "<engine>-<voice or setting>"; the engine family decides the role (see attack_role).
TRAIN_ATTACKS = {
    "espeak": ["en-us", "en", "en-gb-scotland", "en-029", "fr", "de", "es"],
    "flite": ["kal", "kal16", "rms"],
    "vocoder": ["griffinlim", "cepstral"],
    "replay": ["a"],
}
CALIB_ATTACKS = {
    "espeak": ["en-gb-x-gbclan"],
    "flite": ["awb"],
    "vocoder": ["phaserand"],
    "replay": ["b"],
}
EVAL_ATTACKS = {
    "espeak": ["en-gb-x-rp", "en-us-nyc"],
    "flite": ["slt"],
    "festival": ["kal_diphone", "cmu_us_slt_arctic_hts"],
    "vocoder": ["lpc"],
    "replay": ["c"],
}
ATTACKS = {"train": TRAIN_ATTACKS, "calib": CALIB_ATTACKS, "eval": EVAL_ATTACKS}
ESPEAK_VARIANTS = ["", "+m1", "+m2", "+m3", "+m4", "+f1", "+f2", "+f3"]


@dataclass
class RealClip:
    speaker: str     # "<source>:<id>"
    path: str
    role: str
    narrow: bool = False   # recorded at 8 kHz: only in 8 kHz lists (and in training, where real narrow-band helps)


def _hash_role(key: str, calib_pct: int, eval_pct: int) -> str:
    """Stable role from sha1(key): the same speaker lands in the same role on every machine."""
    h = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 100
    return "eval" if h < eval_pct else ("calib" if h < eval_pct + calib_pct else "train")


def ls_role(speaker: str) -> str:
    return "eval" if speaker in LS_EVAL else ("calib" if speaker in LS_CALIB else "train")


def real_clips(data_root: str, debian_root: str = "/") -> List[RealClip]:
    """Every real recording usable for the CM, with its role (speaker-disjoint)."""
    out: List[RealClip] = []
    ls5 = os.path.join(data_root, "librispeech-train-clean-5")
    with open(os.path.join(ls5, "index.tsv")) as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.append(RealClip(f"ls:{row['speaker']}", os.path.join(ls5, row["file"]), ls_role(row["speaker"])))
    ls5_speakers = {c.speaker for c in out}
    for path in sorted(glob.glob(os.path.join(data_root, "librispeech-subset/train-clean-100/*.flac"))):
        spk = os.path.basename(path).split("-")[0]
        key = f"ls:{spk}"
        role = ls_role(spk) if key in ls5_speakers else _hash_role(key, 10, 20)
        out.append(RealClip(key, path, role))
    cv = os.path.join(data_root, "common-voice")
    with open(os.path.join(cv, "index.tsv")) as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            key = f"cv:{row['speaker']}"
            out.append(RealClip(key, os.path.join(cv, row["file"]), _hash_role(key, 10, 20)))
    for path in sorted(glob.glob(os.path.join(data_root, "fsdd/recordings/*.wav"))):
        spk = os.path.basename(path).split("_")[1]
        role = "eval" if spk in FSDD_EVAL else ("calib" if spk in FSDD_CALIB else None)
        if role:
            out.append(RealClip(f"fsdd:{spk}", path, role, narrow=True))
    for voice in asterisk(debian_root):
        role = ASTERISK_ROLES.get(voice.voice_id)
        if role:
            out.extend(RealClip(voice.voice_id, f, role, narrow=True) for f in voice.files)
    return out
