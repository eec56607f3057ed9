"""Run `timbre eval` (the product's own pipeline: VAD, windowing, calibration from the card) on every held-out set
and channel, and collect the card's `evaluation` rows with the exact command behind each number.

Usage (from the repository root): /usr/bin/python3 -m training.timbre_train.cli_eval [--model models/timbre-default.json]
       [--out training/work/cli-results.json]
"""
import argparse
import json
import os
import subprocess
import sys

from .evaluate import SETS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timbre_eval(name: str, cond: str, enrol: str, trials: str, root: str, model: str) -> dict:
    """One `timbre eval --json` run (paths relative to the repository root) as a card `evaluation` row."""
    cmd = ["npx", "tsx", "bin/timbre.ts", "eval", "--enrol", enrol, "--trials", trials, "--root", root, "--json"]
    if model != "models/timbre-default.json":
        cmd += ["--model", model]
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
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
    ap.add_argument("--only", help="comma-separated set names")
    a = ap.parse_args(argv)
    rows = []
    for name, enrol, trials, root in SETS:
        if a.only and name not in a.only.split(","):
            continue
        for cond in ["16k", "8k"]:
            try:
                row = timbre_eval(name, cond, f"training/lists/{enrol}", f"training/lists/{trials}",
                                  f"training/work/eval/{root}/{cond}", a.model)
            except RuntimeError as exc:
                print(exc, file=sys.stderr)
                return 1
            rows.append(row)
            print(json.dumps(row), flush=True)
    with open(os.path.join(REPO, a.out), "w") as fh:
        json.dump(rows, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
