"""Speaker-disjoint split into train / held-out evaluation (long, short) / calibration, decided before training.

Copyleft voices never reach training (see sources.py); CC BY voices are split by a seeded shuffle.
"""
import random
from typing import Dict, List

from .sources import Voice

SEED = 20261125
# (a) long-audio evaluation voices: 30 s enrolment / 10 s probes
LONG_EVAL = ["fillets-cs-small_fish", "fillets-cs-big_fish", "fillets-nl-small_fish", "fillets-nl-big_fish",
             "tuxpaint-fr", "tuxpaint-ru", "tuxpaint-es", "tuxpaint-el", "tuxpaint-be", "tuxpaint-da",
             "fsdd-george", "fsdd-jackson", "fsdd-lucas", "fsdd-yweweler",
             "asterisk-en-allison", "asterisk-fr-june", "asterisk-it-menardi", "asterisk-es-co"]
# long-audio calibration voices (disjoint from training and evaluation)
LONG_CALIB = ["tuxpaint-ro", "tuxpaint-bg", "tuxpaint-ca", "fsdd-nicolas", "fsdd-theo", "asterisk-fr-armelle"]
N_LS_EVAL, N_LS_CALIB = 60, 25      # LibriSpeech speakers whose utterance is >= 12 s
N_SC_EVAL, N_SC_CALIB = 45, 20      # Speech Commands speakers with >= 13 clips
LS_MIN_SECONDS = 12.0
SC_MIN_CLIPS = 13


def split(voices: List[Voice], ls_seconds: Dict[str, float]) -> Dict[str, List[Voice]]:
    """Return {'train', 'long_eval', 'long_calib', 'ls_eval', 'ls_calib', 'sc_eval', 'sc_calib', 'unused'}."""
    rng = random.Random(SEED)
    out: Dict[str, List[Voice]] = {k: [] for k in
                                   ["train", "long_eval", "long_calib", "ls_eval", "ls_calib", "sc_eval", "sc_calib",
                                    "unused"]}
    by_id = {v.voice_id: v for v in voices}
    out["long_eval"] = [by_id[i] for i in LONG_EVAL if i in by_id]
    out["long_calib"] = [by_id[i] for i in LONG_CALIB if i in by_id]
    taken = set(LONG_EVAL) | set(LONG_CALIB)

    ls = sorted((v for v in voices if v.source == "librispeech-subset"), key=lambda v: v.voice_id)
    ls_long = [v for v in ls if ls_seconds.get(v.voice_id, 0) >= LS_MIN_SECONDS]
    rng.shuffle(ls_long)
    out["ls_eval"] = sorted(ls_long[:N_LS_EVAL], key=lambda v: v.voice_id)
    out["ls_calib"] = sorted(ls_long[N_LS_EVAL:N_LS_EVAL + N_LS_CALIB], key=lambda v: v.voice_id)
    sc = sorted((v for v in voices if v.source == "speech-commands-v002-test"), key=lambda v: v.voice_id)
    sc_many = [v for v in sc if len(v.files) >= SC_MIN_CLIPS]
    rng.shuffle(sc_many)
    out["sc_eval"] = sorted(sc_many[:N_SC_EVAL], key=lambda v: v.voice_id)
    out["sc_calib"] = sorted(sc_many[N_SC_EVAL:N_SC_EVAL + N_SC_CALIB], key=lambda v: v.voice_id)
    for k in ["ls_eval", "ls_calib", "sc_eval", "sc_calib"]:
        taken |= {v.voice_id for v in out[k]}
    for v in voices:
        if v.voice_id in taken:
            continue
        (out["unused"] if v.copyleft else out["train"]).append(v)
    return out
