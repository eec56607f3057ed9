"""Inventory of the real (and synthetic) voices the pipeline can use, with licence and language.

A *voice* is one person (one class). Each voice has a list of audio files, a language, a licence tag and a
``copyleft`` flag: copyleft voices (GPL, CC BY-SA, GFDL) are used only for evaluation and calibration, so the
shipped weights derive only from CC BY / BSD-like / public-domain data and can be released under CC BY 4.0.
"""
import csv
import glob
import os
from dataclasses import dataclass, field
from typing import Dict, List


@dataclass
class Voice:
    voice_id: str
    source: str          # dataset / package name
    language: str
    licence: str
    copyleft: bool
    kind: str            # "long" (minutes of audio), "utterance" (LibriSpeech), "words" (Speech Commands), "synthetic"
    files: List[str] = field(default_factory=list)


ASTERISK = [
    # (voice id, directory under sounds/, language, licence, copyleft, package)
    ("asterisk-en-allison", "en_US_f_Allison", "en", "CC-BY-SA-3.0", True, "asterisk-core-sounds-en-wav"),
    ("asterisk-fr-june", "fr_CA_f_June", "fr", "CC-BY-SA-3.0", True, "asterisk-core-sounds-fr-wav"),
    ("asterisk-it-carlo", "it_IT_m_Carlo", "it", "CC-BY-3.0", False, "asterisk-core-sounds-it-wav"),
    ("asterisk-ru-ivrvoice", "ru_RU_f_IvrvoiceRU", "ru", "CC-BY-3.0", False, "asterisk-core-sounds-ru-wav"),
    ("asterisk-it-menardi", "it_IT_f_Menardi", "it", "CC-BY-SA-3.0", True, "asterisk-prompt-it-menardi-wav"),
    ("asterisk-es-co", "es", "es", "GPL-2+", True, "asterisk-prompt-es-co"),
    ("asterisk-fr-armelle", "fr", "fr", "GPL-2+", True, "asterisk-prompt-fr-armelle"),
    # es_MX_f_Allison is the same person as en_US_f_Allison: never a separate class, never a nontarget of her.
]
TUXPAINT_LANGS = ["fr", "ru", "ro", "ca", "bg", "es", "be", "el", "da"]


def _sorted_files(pattern: str) -> List[str]:
    return sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))


def librispeech(data_root: str) -> List[Voice]:
    files = _sorted_files(os.path.join(data_root, "librispeech-subset/train-clean-100/*.flac"))
    return [Voice("ls-" + os.path.basename(f).split("-")[0], "librispeech-subset", "en", "CC-BY-4.0", False,
                  "utterance", [f]) for f in files]


def _files_by_speaker(base: str) -> Dict[str, List[str]]:
    """A corpus folder's headed index.tsv (`speaker` and `file` columns) as speaker -> paths, in index order."""
    by_spk: Dict[str, List[str]] = {}
    with open(os.path.join(base, "index.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_spk.setdefault(row["speaker"], []).append(os.path.join(base, row["file"]))
    return by_spk


def speech_commands(data_root: str) -> List[Voice]:
    by_spk = _files_by_speaker(os.path.join(data_root, "speech-commands-v002-test"))
    return [Voice("sc-" + s, "speech-commands-v002-test", "en", "CC-BY-4.0", False, "words", sorted(v))
            for s, v in sorted(by_spk.items())]


def fsdd(data_root: str) -> List[Voice]:
    out = []
    for spk in ["george", "jackson", "lucas", "nicolas", "theo", "yweweler"]:
        files = _sorted_files(os.path.join(data_root, f"fsdd/recordings/*_{spk}_*.wav"))
        # interleave digits (0_x_0, 1_x_0, ...) so every crop holds varied digits
        files.sort(key=lambda p: (int(os.path.basename(p).split("_")[2][:-4]), os.path.basename(p)))
        out.append(Voice("fsdd-" + spk, "fsdd", "en", "CC-BY-SA-4.0", True, "long", files))
    return out


def asterisk(debian_root: str) -> List[Voice]:
    out = []
    for vid, sub, lang, lic, copyleft, _pkg in ASTERISK:
        d = os.path.join(debian_root, "usr/share/asterisk/sounds", sub)
        files = _sorted_files(os.path.join(d, "**/*.wav")) + _sorted_files(os.path.join(d, "**/*.gsm"))
        if files:
            out.append(Voice(vid, "asterisk", lang, lic, copyleft, "long", files))
    return out


def tuxpaint(debian_root: str) -> List[Voice]:
    out = []
    for lang in TUXPAINT_LANGS:
        files = _sorted_files(os.path.join(debian_root, f"usr/share/tuxpaint/stamps/**/*_desc_{lang}.ogg"))
        if files:
            out.append(Voice("tuxpaint-" + lang, "tuxpaint-stamps-default", lang, "GPL-2", True, "long", files))
    return out


def fillets(data_root: str, debian_root: str) -> List[Voice]:
    by_spk: Dict[str, List[str]] = {}
    with open(os.path.join(data_root, "debian-voices/fillets-ng-speakers.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["speaker_label"].endswith(("small_fish", "big_fish")):
                p = os.path.join(debian_root, row["installed_path"].lstrip("/"))
                if os.path.isfile(p):
                    by_spk.setdefault(row["speaker_label"], []).append(p)
    return [Voice(s, "fillets-ng-data-" + s.split("-")[1], s.split("-")[1], "GPL-2", True, "long", sorted(v))
            for s, v in sorted(by_spk.items())]


def festvox_ru(debian_root: str) -> List[Voice]:
    files = _sorted_files(os.path.join(debian_root, "usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/ru_*.wav"))
    return [Voice("festvox-ru-nsh", "festvox-ru", "ru", "BSD-like (festvox-ru)", False, "long", files)] if files else []


def all_voices(data_root: str, debian_root: str = "/") -> List[Voice]:
    voices = (librispeech(data_root) + speech_commands(data_root) + fsdd(data_root) + asterisk(debian_root)
              + tuxpaint(debian_root) + fillets(data_root, debian_root) + festvox_ru(debian_root))
    return [v for v in voices if v.files]


def common_voice(data_root: str) -> List[Voice]:
    """Common Voice speakers (CC0), `cv-<speaker>`, clips in file-name order; the language is the first clip's."""
    base = os.path.join(data_root, "common-voice")
    by_spk: Dict[str, List[Dict[str, str]]] = {}
    with open(os.path.join(base, "index.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_spk.setdefault(row["speaker"], []).append(row)
    out = []
    for s, rows in sorted(by_spk.items()):
        rows.sort(key=lambda r: os.path.basename(r["file"]))
        out.append(Voice("cv-" + s, "common-voice", rows[0]["language"], "CC0-1.0", False, "utterance",
                         [os.path.join(base, r["file"]) for r in rows]))
    return out


def librispeech_train_clean_5(data_root: str) -> List[Voice]:
    """Mini LibriSpeech train-clean-5 (CC BY 4.0): `ls-<speaker>`, the same people as librispeech() (other files)."""
    by_spk = _files_by_speaker(os.path.join(data_root, "librispeech-train-clean-5"))
    return [Voice("ls-" + s, "librispeech-train-clean-5", "en", "CC-BY-4.0", False, "utterance", v)
            for s, v in sorted(by_spk.items(), key=lambda kv: int(kv[0]))]
