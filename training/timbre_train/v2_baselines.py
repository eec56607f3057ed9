"""Baselines on timbre-spk-v2's held-out sets: a model card through `timbre eval` (the product's pipeline) and the
no-training MFCC floor (`floor.py`), on the same trials; writes training/facts/v2-baselines.json.

Usage (repository root): /usr/bin/python3 -m training.timbre_train.v2_baselines [--model models/timbre-default.json]
Needs the audio of `python3 -m training.timbre_train.v2_audio`. Resumable: finished rows are kept in
training/work/v2-baselines.partial.json and not run again.
"""
import argparse
import json
import os
import sys
import time

from .cli_eval import REPO, timbre_eval
from .floor import floor_metrics

# (set, condition, list stem, root under training/work/eval, what it measures)
CONDITIONS = [
    ("v2-mismatch", "g711-enrol/codec+noise-probe", "v2-mismatch", "v2-mismatch",
     "enrolment 30 s through G.711 mu-law or A-law; 10-s probes through GSM 06.10, Opus 6-12 kbit/s, G.726 16-32 "
     "kbit/s or G.723.1 with white, pink or babble noise at 5-20 dB SNR (lists/v2-mismatch.channels.tsv)"),
    ("v2-short", "16k", "v2-short", "v2-short/16k", "enrolment 30 s, probes 5 s of net speech, 16 kHz"),
    ("v2-short", "8k", "v2-short", "v2-short/8k", "the same through 8 kHz G.711 mu-law"),
    ("v2-common-voice", "16k", "v2-common-voice", "v2-common-voice/16k",
     "100 held-out Common Voice speakers, enrolment on their first clips, probe on their last ones, 16 kHz"),
    ("v2-common-voice", "8k", "v2-common-voice", "v2-common-voice/8k", "the same through 8 kHz G.711 mu-law"),
    ("v2-cross-session", "16k", "v2-cross-session", "v2-cross-session/16k",
     "enrolment on one LibriSpeech chapter, probe on another, 16 kHz"),
    ("v2-cross-session", "8k", "v2-cross-session", "v2-cross-session/8k", "the same through 8 kHz G.711 mu-law"),
]


def log(msg: str) -> None:
    print(f"[v2_baselines {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/timbre-default.json")
    ap.add_argument("--out", default="training/facts/v2-baselines.json")
    ap.add_argument("--partial", default="training/work/v2-baselines.partial.json")
    a = ap.parse_args(argv)
    partial = os.path.join(REPO, a.partial)
    done = json.load(open(partial)) if os.path.exists(partial) else {}
    model_id = json.load(open(os.path.join(REPO, a.model)))["id"]
    for name, cond, stem, root, _ in CONDITIONS:
        enrol, trials = f"training/lists/{stem}.enrol.tsv", f"training/lists/{stem}.trials.tsv"
        for who in [model_id, "mfcc-floor"]:
            key = f"{name}|{cond}|{who}"
            if key in done:
                continue
            t0 = time.time()
            if who == "mfcc-floor":
                row = floor_metrics(os.path.join(REPO, enrol), os.path.join(REPO, trials),
                                    os.path.join(REPO, "training/work/eval", root))
                row["command"] = (f"python3 -m training.timbre_train.floor --enrol {enrol} --trials {trials} "
                                  f"--root training/work/eval/{root}")
            else:
                row = timbre_eval(name, cond, enrol, trials, f"training/work/eval/{root}", a.model)
            row["seconds"] = round(time.time() - t0, 1)
            done[key] = row
            json.dump(done, open(partial + ".tmp", "w"), indent=1)
            os.replace(partial + ".tmp", partial)
            log(f"{key}: EER {row['eer']:.4f} ({row['seconds']} s)")
    facts = {
        "about": f"`{model_id}` on timbre-spk-v2's held-out sets (training/lists/v2-*, issue 12) through `timbre eval` "
                 "(VAD, windowing, the card's calibration); `mfcc-floor` is the "
                 "no-training floor of training/timbre_train/floor.py (mean and std of 20 MFCCs and their deltas, "
                 "cosine after mean removal; its scores are not LLRs, so it has no Cllr or FAR/FRR). Rates are "
                 "fractions. Reproduce: python3 -m training.timbre_train.v2_audio, then "
                 "python3 -m training.timbre_train.v2_baselines.",
        "sets": [{"set": n, "condition": c, "lists": f"training/lists/{s}.{{enrol,trials}}.tsv",
                  "root": f"training/work/eval/{r}", "what": w,
                  "results": {who: {k: v for k, v in done[f"{n}|{c}|{who}"].items() if k not in ("set", "condition")}
                              for who in [model_id, "mfcc-floor"]}}
                 for n, c, s, r, w in CONDITIONS],
    }
    with open(os.path.join(REPO, a.out), "w") as fh:
        json.dump(facts, fh, indent=2)
        fh.write("\n")
    log(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
