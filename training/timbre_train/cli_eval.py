"""Run `timbre eval` (the product's own pipeline: VAD, windowing, calibration from the card) on every held-out set
and channel, and collect the card's `evaluation` rows with the exact command behind each number.

Usage (from the repository root): /usr/bin/python3 -m training.timbre_train.cli_eval [--model models/timbre-default.json]
       [--out training/work/cli-results.json] [--sets v1,v2,calib] [--scores-dir DIR] [--into-card]
"""
import argparse
import json
import os
import subprocess
import sys

from .evaluate import SETS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timbre_eval(name: str, cond: str, enrol: str, trials: str, root: str, model: str, scores_dir: str = "") -> dict:
    """One `timbre eval --json` run (paths relative to the repository root) as a card `evaluation` row; with
    `scores_dir`, its per-trial scores go to <scores_dir>/<set>.<condition>.tsv too (not part of the row's command)."""
    cmd = ["npx", "tsx", "bin/timbre.ts", "eval", "--enrol", enrol, "--trials", trials, "--root", root, "--json"]
    if model != "models/timbre-default.json":
        cmd += ["--model", model]
    extra = []
    if scores_dir:
        os.makedirs(os.path.join(REPO, scores_dir), exist_ok=True)
        extra = ["--scores", os.path.join(scores_dir, f"{name}.{cond.replace('/', '_')}.tsv")]
    res = subprocess.run(cmd + extra, cwd=REPO, capture_output=True, text=True)
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    if res.returncode != 0 or not line:
        raise RuntimeError(f"{name} {cond}: failed: {res.stderr[-2000:]}")
    m = json.loads(line[-1])
    row = {"set": name, "condition": cond}
    row.update({k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items() if k != "model"})
    row["command"] = " ".join(c for c in cmd if c not in ("npx", "tsx")).replace("bin/timbre.ts", "timbre", 1)
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default="models/timbre-default.json")
    ap.add_argument("--out", default="training/work/cli-results.json")
    ap.add_argument("--only", help="comma-separated names of v1's sets")
    ap.add_argument("--sets", default="v1", help="comma-separated groups: v1 (v1's held-out sets), v2 (v2's), "
                    "calib (both calibration sets, never reported as accuracy)")
    ap.add_argument("--into-card", action="store_true", help="also write the rows as the card's `evaluation`")
    ap.add_argument("--scores-dir", default="", help="also write each list's per-trial scores (timbre eval --scores) here")
    a = ap.parse_args(argv)
    jobs = []  # (set, condition, enrol list, trial list, root), paths relative to the repository root
    groups = a.sets.split(",")
    if "v1" in groups:
        jobs += [(name, cond, f"training/lists/{enrol}", f"training/lists/{trials}", f"training/work/eval/{root}/{cond}")
                 for name, enrol, trials, root in SETS if not a.only or name in a.only.split(",")
                 for cond in ["16k", "8k"]]
    if "v2" in groups:
        from .v2_baselines import CONDITIONS  # here: v2_baselines imports this module
        jobs += [(name, cond, f"training/lists/{stem}.enrol.tsv", f"training/lists/{stem}.trials.tsv",
                  f"training/work/eval/{root}") for name, cond, stem, root, _ in CONDITIONS]
    if "calib" in groups:  # the calibration speakers, v1's and v2's (each list holds both channels)
        jobs += [(name, "16k+8k", f"training/lists/{stem}.enrol.tsv", f"training/lists/{stem}.trials.tsv",
                  f"training/work/eval/{stem}") for name, stem in [("calib", "calib"), ("v2-calib", "v2-calib")]]
    rows = []
    for name, cond, enrol, trials, root in jobs:
        try:
            row = timbre_eval(name, cond, enrol, trials, root, a.model, a.scores_dir)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
        rows.append(row)
        print(json.dumps(row), flush=True)
    with open(os.path.join(REPO, a.out), "w") as fh:
        json.dump(rows, fh, indent=2)
    if a.into_card:
        card_path = os.path.join(REPO, a.model)
        card = json.load(open(card_path))
        card["evaluation"] = rows
        with open(card_path, "w") as fh:
            json.dump(card, fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
