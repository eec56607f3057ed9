"""timbre-spk-v2's held-out evaluation sets and training split, decided before any v2 training (issue 12).

Usage: python3 -m training.timbre_train.v2_sets [--data-root /work/shared/data] [--lists training/lists]
Writes, from metadata only (index.tsv files, v1's lists/split.tsv, lists/common-voice-watchlist.tsv), no audio read:
  v2-split.tsv                          every speaker and its v2 role (train, v2-eval, v2-calib, v1-eval, ...)
  v2-mismatch.{enrol,trials,channels}.tsv   (a) 30 s through G.711 / 10 s probes through another codec with noise
  v2-short.{enrol,trials}.tsv           (b) 30 s / 5 s probes of net speech (roots 16k and 8k mu-law)
  v2-common-voice.{enrol,trials}.tsv    (c) the 100 Common Voice v2-heldout speakers, clips enrolled / other clips probed
  v2-cross-session.{enrol,trials}.tsv   (d) enrol on one LibriSpeech chapter, probe on another
  v2-calib.{enrol,trials}.tsv           v2's calibration speakers (Common Voice, 16k and 8k pooled), in no set above
  v2-calib-v1.{enrol,trials}.tsv        v1's calibration list less v2's evaluation people (root eval/calib)
  v2-watchlist.tsv                      eval-watchlist's split for v2: v2-calib / v2-heldout Common Voice speakers
`v2_audio` then writes the audio under training/work/eval/v2-*. Every choice is a seeded hash (sha256 of SEED and a
name), so the lists are the same on every machine and the test in test/unit/training/ regenerates them to check.
Speaker ids name the person, whatever the corpus: LibriSpeech speaker N is `ls-N` in train-clean-100 and train-clean-5.
"""
import argparse
import csv
import hashlib
import os
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

SEED = "timbre-v2-sets-1"
TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENROL_S, PROBE_S, SHORT_PROBE_S = 30.0, 10.0, 5.0
PROBES_PER_SPEAKER = 10           # 10-s probes per long speaker in (a); (b) cuts each in two 5-s probes
CV_PROBE_MIN_S, CV_ENROL_MAX_S = 8.0, 30.0
N_CV_CALIB = 80                   # Common Voice speakers reserved for v2's calibration (issue 12, part 3)
# v1's held-out FSDD voices (CC BY-SA: evaluation only); the other long v1 voices need Debian packages (not here)
FSDD_EVAL = ["fsdd-george", "fsdd-jackson", "fsdd-lucas", "fsdd-yweweler"]
ENROL_CODECS = ["mu-law", "a-law"]
# probe channels: (codec, bit rate in bit/s); AMR-NB has no encoder in Debian's ffmpeg, so it is not among them
PROBE_CODECS = [("gsm", 13200), ("opus", 6000), ("opus", 8000), ("opus", 12000), ("g726", 16000), ("g726", 24000),
                ("g726", 32000), ("g723_1", 6300)]
NOISES = ["white", "pink", "babble"]
SNR_DB = (5.0, 20.0)
V1_HELD_OUT = {"long_eval", "long_calib", "ls_eval", "ls_calib", "sc_eval", "sc_calib"}


def rank(*key: str) -> int:
    """The seeded hash every choice uses: sha256("<SEED>:<key>") as an integer (first 8 bytes)."""
    return int(hashlib.sha256(":".join((SEED,) + key).encode()).hexdigest()[:16], 16)


def unit(*key: str) -> float:
    return rank(*key) / 2.0 ** 64


def read_tsv(path: str, header: bool = True) -> List[Dict[str, str]]:
    with open(path, newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    if header:
        return list(csv.DictReader(lines, delimiter="\t"))
    return [dict(enumerate(ln.rstrip("\n").split("\t"))) for ln in lines if ln.strip()]


@dataclass
class Material:
    """One speaker's audio for (a), (b), (d): these files, edge-trimmed, long pauses squeezed, concatenated."""
    speaker: str
    files: List[str]
    sample_rate_hz: int


@dataclass
class Lists:
    split: List[Tuple[str, str, str, str, str]] = field(default_factory=list)   # role, speaker, source, licence, why
    files: Dict[str, List[str]] = field(default_factory=dict)                     # list name -> lines


def _v1_roles(lists: str) -> Dict[str, str]:
    return {r[1]: r[0] for r in read_tsv(os.path.join(lists, "split.tsv"), header=False)}


def _cv_roles(lists: str, cv_index: List[Dict[str, str]]) -> Tuple[List[str], List[str]]:
    """(held out: the watchlist list's 100 v2-heldout speakers; calibration: N_CV_CALIB others with >= 3 clips)."""
    wl = read_tsv(os.path.join(lists, "common-voice-watchlist.tsv"), header=False)
    held = sorted(r[0] for r in wl if r.get(2) == "v2-heldout")
    clips: Dict[str, int] = {}
    for r in cv_index:
        clips[r["speaker"]] = clips.get(r["speaker"], 0) + 1
    rest = sorted((s for s, n in clips.items() if n >= 3 and s not in set(held)), key=lambda s: rank("cv-calib", s))
    return held, sorted(rest[:N_CV_CALIB])


def trial_rows(enrolled: List[str], probes: List[Tuple[str, str]], person=lambda s: s,
               keep=lambda enrol_id, probe_rel: True) -> List[str]:
    """Every probe against every enrolment: target when the same person, else nontarget."""
    out = []
    for spk, rel in probes:
        for e in enrolled:
            if keep(e, rel):
                out.append(f"{e}\t{rel}\t{'target' if person(e) == person(spk) else 'nontarget'}")
    return out


def cv_lists(speakers: List[str], by_cv: Dict[str, List[Dict[str, str]]], recipes: Dict[str, dict], set_name: str):
    """Common Voice enrolment lines and probes: probe = the speaker's last clips until >= 8 s (at most half of them),
    enrolment = the others (the first ones, up to 30 s), enrolled together as separate files; probe clips joined."""
    enrol_lines, probes = [], []
    for spk in speakers:
        rows = sorted(by_cv[spk], key=lambda r: os.path.basename(r["file"]))
        probe, got = [], 0.0
        while len(probe) < len(rows) // 2 and (not probe or got < CV_PROBE_MIN_S):
            probe.insert(0, rows[-1 - len(probe)])
            got += float(probe[0]["seconds"])
        enrol, got = [], 0.0
        for r in rows[: len(rows) - len(probe)]:
            if got >= CV_ENROL_MAX_S:
                break
            enrol.append(r)
            got += float(r["seconds"])
        sid = f"cv-{spk}"
        rels = []
        for r in enrol:
            rel = f"{sid}/enrol-{os.path.splitext(os.path.basename(r['file']))[0]}.wav"
            recipes[f"{set_name}/{rel}"] = dict(speaker=sid, clips=[os.path.join("common-voice", r["file"])])
            rels.append(rel)
        enrol_lines.append("\t".join([sid] + rels))
        recipes[f"{set_name}/{sid}/probe.wav"] = dict(speaker=sid, clips=[os.path.join("common-voice", r["file"]) for r in probe])
        probes.append((sid, f"{sid}/probe.wav"))
    return enrol_lines, probes


def same_corpus(enrol_id: str, probe_rel: str) -> bool:
    """Nontargets of (a) and (b) only within one corpus: FSDD (8 kHz digits) against LibriSpeech (16 kHz read books)
    is told apart by the recording alone (the MFCC floor reached 3 % EER with such pairs in)."""
    return enrol_id.split("-")[0] == probe_rel.split("-")[0]


def build(data_root: str, lists: str) -> Tuple[Lists, Dict[str, Material], Dict[str, dict]]:
    """The lists, each long speaker's material, and for every audio file to write its recipe (see v2_audio)."""
    out = Lists()
    v1 = _v1_roles(lists)
    tc5 = read_tsv(os.path.join(data_root, "librispeech-train-clean-5", "index.tsv"))
    cv = read_tsv(os.path.join(data_root, "common-voice", "index.tsv"))
    tc5_spk = sorted({f"ls-{r['speaker']}" for r in tc5}, key=lambda s: int(s[3:]))
    tc5_held = [s for s in tc5_spk if v1.get(s) in ("ls_eval", "ls_calib")]
    cv_held, cv_calib = _cv_roles(lists, cv)

    # ---- the long speakers of (a) and (b): held-out train-clean-5 speakers and v1's held-out FSDD voices
    mats: Dict[str, Material] = {}
    for s in tc5_held:
        mats[s] = Material(s, [os.path.join("librispeech-train-clean-5", r["file"]) for r in tc5
                               if f"ls-{r['speaker']}" == s], 16000)
    for s in FSDD_EVAL:
        names = sorted(os.listdir(os.path.join(data_root, "fsdd", "recordings")))
        mine = [n for n in names if n.split("_")[1] == s[5:]]
        mine.sort(key=lambda n: (int(n.split("_")[2][:-4]), n))   # digits interleaved, as v1 does
        mats[s] = Material(s, [os.path.join("fsdd", "recordings", n) for n in mine], 8000)
    recipes: Dict[str, dict] = {}
    long_spk = sorted(mats)

    # (a) mismatched channels: one root, every file already through its channel (8 kHz PCM WAV)
    enrol_a, probes_a, chan = [], [], ["# file\tcodec\tbit_rate\tnoise\tsnr_db\tband_hz\tlevel_dbfs"]
    for s in long_spk:
        band = lambda rel: f"{200 + int(150 * unit('lo', rel))}-{3200 + int(400 * unit('hi', rel))}"
        rel = f"{s}/enrol.wav"
        codec = ENROL_CODECS[rank("enrol-codec", s) % len(ENROL_CODECS)]
        recipes["v2-mismatch/" + rel] = dict(speaker=s, start=0.0, seconds=ENROL_S, codec=codec, bit_rate=64000,
                                             noise="none", snr_db=None, band=band(rel), level=-12.0)
        enrol_a.append(f"{s}\t{rel}")
        for k in range(PROBES_PER_SPEAKER):
            rel = f"{s}/probe-{k:02d}.wav"
            codec, rate = PROBE_CODECS[rank("probe-codec", rel) % len(PROBE_CODECS)]
            noise = NOISES[rank("noise", rel) % len(NOISES)]
            snr = round(SNR_DB[0] + (SNR_DB[1] - SNR_DB[0]) * unit("snr", rel), 1)
            level = round(-30.0 + 24.0 * unit("level", rel), 1)
            recipes["v2-mismatch/" + rel] = dict(speaker=s, start=ENROL_S + k * PROBE_S, seconds=PROBE_S, codec=codec,
                                                 bit_rate=rate, noise=noise, snr_db=snr, band=band(rel), level=level)
            probes_a.append((s, rel))
    for rel, r in sorted(recipes.items()):
        chan.append(f"{rel[len('v2-mismatch/'):]}\t{r['codec']}\t{r['bit_rate']}\t{r['noise']}\t"
                    f"{'' if r['snr_db'] is None else r['snr_db']}\t{r['band']}\t{r['level']}")
    out.files["v2-mismatch.enrol.tsv"] = enrol_a
    out.files["v2-mismatch.trials.tsv"] = trial_rows(long_spk, probes_a, keep=same_corpus)
    out.files["v2-mismatch.channels.tsv"] = chan

    # (b) short probes: 30 s enrolment, each 10-s probe region cut in two 5-s probes; 16k and 8k mu-law roots
    enrol_b, probes_b = [], []
    for s in long_spk:
        recipes[f"v2-short/{s}/enrol.wav"] = dict(speaker=s, start=0.0, seconds=ENROL_S)
        enrol_b.append(f"{s}\t{s}/enrol.wav")
        for k in range(2 * PROBES_PER_SPEAKER):
            rel = f"{s}/probe-{k:02d}.wav"
            recipes["v2-short/" + rel] = dict(speaker=s, start=ENROL_S + k * SHORT_PROBE_S, seconds=SHORT_PROBE_S)
            probes_b.append((s, rel))
    out.files["v2-short.enrol.tsv"] = enrol_b
    out.files["v2-short.trials.tsv"] = trial_rows(long_spk, probes_b, keep=same_corpus)

    # (c) Common Voice held-out speakers, enrolled on some clips and probed on others (cv_lists)
    by_cv: Dict[str, List[Dict[str, str]]] = {}
    for r in cv:
        by_cv.setdefault(r["speaker"], []).append(r)
    enrol_c, probes_c = cv_lists(cv_held, by_cv, recipes, "v2-common-voice")
    out.files["v2-common-voice.enrol.tsv"] = enrol_c
    out.files["v2-common-voice.trials.tsv"] = trial_rows([e.split("\t")[0] for e in enrol_c], probes_c)
    # v2's calibration list: the v2-calib Common Voice speakers made the same way, both channels pooled in one list
    # (ids <speaker>@16k / @8k, paths under 16k/ and 8k/ of one root; nontargets only within a channel), as v1's is
    enrol_k, probes_k = cv_lists(cv_calib, by_cv, recipes, "v2-calib")
    out.files["v2-calib.enrol.tsv"], out.files["v2-calib.trials.tsv"] = [], []
    for ch in ["16k", "8k"]:
        ids = [f"{e.split(chr(9))[0]}@{ch}" for e in enrol_k]
        out.files["v2-calib.enrol.tsv"] += [
            "\t".join([i] + [f"{ch}/{f}" for f in e.split("\t")[1:]]) for i, e in zip(ids, enrol_k)]
        out.files["v2-calib.trials.tsv"] += trial_rows(ids, [(f"{s}@{ch}", f"{ch}/{f}") for s, f in probes_k])

    # the watchlist split for v2 (timbre eval-watchlist --split): calibrate the known-fraudster risk on the v2-calib
    # Common Voice speakers, report it on the 100 held-out ones; every other Common Voice speaker is v2 training data
    out.files["v2-watchlist.tsv"] = (
        ["# timbre-spk-v2's watchlist split (python3 -m training.timbre_train.v2_sets): calibration = v2-calib Common Voice",
         "# speakers, evaluation = v2-heldout ones (v2-common-voice); v2 trains on neither.", "# speaker\thalf\tv2\tclips"]
        + [f"{s}\tcalibration\t-\t{len(by_cv[s])}" for s in sorted(cv_calib)]
        + [f"{s}\tevaluation\tv2-heldout\t{len(by_cv[s])}" for s in sorted(cv_held)])

    # (d) cross-session: train-clean-5 chapter(s) vs the train-clean-100 utterance of another chapter, both ways.
    # Enrolment ids are <speaker>@tc5 (30 s of train-clean-5) and <speaker>@tc100 (the whole train-clean-100
    # utterance); a trial never pairs an enrolment with a probe from the same chapter.
    ls_files = {os.path.basename(f).split("-")[0]: f for f in
                os.listdir(os.path.join(data_root, "librispeech-subset", "train-clean-100"))}
    enrol_d, probes_d, chapter = [], [], {}
    for s in tc5_held:
        n = s[3:]
        tc100 = ls_files[n]
        tc100_chapter = tc100.split("-")[1]
        if all(r["chapter"] == tc100_chapter for r in tc5 if r["speaker"] == n):
            continue   # no second chapter (the subset utterance is from the same chapter): not cross-session
        mats[s + "@tc5"] = Material(s, [os.path.join("librispeech-train-clean-5", r["file"]) for r in tc5
                                        if r["speaker"] == n and r["chapter"] != tc100_chapter], 16000)
        mats[s + "@tc100"] = Material(s, [os.path.join("librispeech-subset", "train-clean-100", tc100)], 16000)
        recipes[f"v2-cross-session/{s}/enrol-tc5.wav"] = dict(speaker=s + "@tc5", start=0.0, seconds=ENROL_S)
        # the whole train-clean-100 utterance (9-15 s) is both an enrolment and a probe (never against itself)
        recipes[f"v2-cross-session/{s}/tc100.wav"] = dict(speaker=s + "@tc100", start=0.0, seconds=None)
        enrol_d += [f"{s}@tc5\t{s}/enrol-tc5.wav", f"{s}@tc100\t{s}/tc100.wav"]
        probes_d.append((s, f"{s}/tc100.wav"))
        chapter[f"{s}/tc100.wav"] = "tc100"
        for k in range(PROBES_PER_SPEAKER):
            rel = f"{s}/probe-tc5-{k:02d}.wav"
            recipes["v2-cross-session/" + rel] = dict(speaker=s + "@tc5", start=ENROL_S + k * PROBE_S, seconds=PROBE_S)
            probes_d.append((s, rel))
            chapter[rel] = "tc5"
    # the same-person enrolment of the probe's own recording is skipped; other people's enrolments of either kind stay
    out.files["v2-cross-session.enrol.tsv"] = enrol_d
    out.files["v2-cross-session.trials.tsv"] = trial_rows(
        [e.split("\t")[0] for e in enrol_d], probes_d, person=lambda e: e.split("@")[0],
        keep=lambda e, rel: not (e.split("@")[0] == rel.split("/")[0] and e.split("@")[1] == chapter[rel]))

    # ---- the v2 split: one role per (speaker, source)
    v2_eval = set(long_spk) | {f"cv-{s}" for s in cv_held}
    # v1's calibration list without v2's evaluation people (v1 calibrated on train-clean-5 speakers such as ls-3664
    # that v2 evaluates on): v2 calibrates on it pooled with v2-calib, each list weighing the same
    def v1_calib(name: str, person_of) -> List[str]:
        rows = read_tsv(os.path.join(lists, name), header=False)
        return ["\t".join(r.values()) for r in rows if all(p not in v2_eval for p in person_of(r))]
    out.files["v2-calib-v1.enrol.tsv"] = v1_calib("calib.enrol.tsv", lambda f: [f[0].split("@")[0]])
    out.files["v2-calib-v1.trials.tsv"] = v1_calib("calib.trials.tsv", lambda f: [f[0].split("@")[0], f[1].split("/")[1]])
    cv_calib_ids = {f"cv-{s}" for s in cv_calib}
    for r in read_tsv(os.path.join(lists, "split.tsv"), header=False):
        role, sid, source, licence = r[0], r[1], r[2], r[4]
        if sid in v2_eval:
            out.split.append(("v2-eval", sid, source, licence, f"v2 held-out set (v1 role {role})"))
        elif role in ("long_calib", "ls_calib", "sc_calib"):
            out.split.append(("v2-calib", sid, source, licence, f"v1 calibration speaker ({role}), kept for v2's"))
        elif role in V1_HELD_OUT:
            out.split.append(("v1-eval", sid, source, licence, f"v1 held-out set ({role}) stays valid"))
        elif role == "train":
            out.split.append(("train", sid, source, licence, "v1 training voice"))
        else:
            out.split.append(("unused", sid, source, licence, f"v1 role {role}"))
    for s in tc5_spk:
        if s in v2_eval:
            out.split.append(("v2-eval", s, "librispeech-train-clean-5", "CC-BY-4.0", f"v1 {v1[s]} speaker"))
        else:
            out.split.append(("train", s, "librispeech-train-clean-5", "CC-BY-4.0", f"v1 {v1.get(s, 'absent')} speaker"))
    for s in sorted(by_cv):
        sid = f"cv-{s}"
        role = "v2-eval" if sid in v2_eval else "v2-calib" if sid in cv_calib_ids else "train"
        why = {"v2-eval": "watchlist list v2-heldout", "v2-calib": "lowest rank(cv-calib) with >= 3 clips",
               "train": f"{len(by_cv[s])} clips"}[role]
        out.split.append((role, sid, "common-voice", "CC0-1.0", why))
    return out, mats, recipes


def write(out: Lists, lists: str) -> None:
    head = [f"# timbre-spk-v2 split (python3 -m training.timbre_train.v2_sets), seed \"{SEED}\".",
            "# train: v2 may train on it; v2-eval: a v2 held-out set; v2-calib: v2's calibration only;",
            "# v1-eval: v1's held-out sets (kept out so they stay valid); unused: not in v1's training either.",
            "# role\tspeaker\tsource\tlicence\twhy"]
    rows = sorted(out.split, key=lambda r: (r[0], r[2], r[1]))
    files = dict(out.files)
    files["v2-split.tsv"] = head + ["\t".join(r) for r in rows]
    for name, lines in files.items():
        with open(os.path.join(lists, name), "w") as fh:
            fh.write("\n".join(lines) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-root", default=os.path.join(TRAINING, "..", "..", "shared", "data"))
    ap.add_argument("--lists", default=os.path.join(TRAINING, "lists"), help="reads split.tsv and the watchlist list")
    ap.add_argument("--out", help="write the lists here instead of --lists")
    a = ap.parse_args(argv)
    for need in ["librispeech-train-clean-5/index.tsv", "common-voice/index.tsv", "fsdd/recordings",
                 "librispeech-subset/train-clean-100"]:
        if not os.path.exists(os.path.join(a.data_root, need)):
            print(f"v2_sets: {os.path.join(a.data_root, need)} is missing (--data-root)", file=sys.stderr)
            return 2
    out, _, _ = build(a.data_root, a.lists)
    os.makedirs(a.out or a.lists, exist_ok=True)
    write(out, a.out or a.lists)
    for name, lines in sorted(out.files.items()):
        n_t = sum(1 for ln in lines if ln.endswith("\ttarget"))
        n_n = sum(1 for ln in lines if ln.endswith("\tnontarget"))
        print(f"{name}: {len(lines)} lines" + (f" ({n_t} target, {n_n} nontarget)" if n_t else ""))
    roles: Dict[str, int] = {}
    for r in out.split:
        roles[r[0]] = roles.get(r[0], 0) + 1
    print("v2-split.tsv: " + ", ".join(f"{k} {v}" for k, v in sorted(roles.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
