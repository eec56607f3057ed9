"""Measure the countermeasure with the runtime's own evaluator (`timbre eval-spoof --json`) on the eval lists.

Usage: /usr/bin/python3 -m timbre_train.cm_measure [--timbre-dir REPO] [--model models/timbre-cm.json]
       [--out training/work/cm-measured.json]
Writes {"<list name>": {eer, bpcer, apcer, counts, skipped, command}} for the card's "measured" (cm_export --measured).
--timbre-dir is the checkout whose bin/timbre.ts runs (default: this repository).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LISTS = ["eval-16k", "eval-8k"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--timbre-dir", default=REPO)
    p.add_argument("--model", default=os.path.join(REPO, "models", "timbre-cm.json"))
    p.add_argument("--lists", default=",".join(LISTS))
    p.add_argument("--out", default=os.path.join(REPO, "training", "work", "cm-measured.json"))
    a = p.parse_args(argv)
    out = {}
    for name in a.lists.split(","):
        lst = os.path.join(REPO, "training", "lists", f"spoof-{name}.tsv")
        root = os.path.join(REPO, "training", "work", "spoof", name)
        cmd = ["npx", "tsx", "bin/timbre.ts", "eval-spoof", "--list", lst, "--root", root, "--model", a.model, "--json"]
        res = json.loads(subprocess.run(cmd, cwd=a.timbre_dir, check=True, capture_output=True, text=True).stdout)
        keep = {k: res[k] for k in ("eer", "bpcer", "apcer", "counts", "bonafideSources", "skipped") if k in res}
        keep["command"] = " ".join(["timbre eval-spoof", "--list", f"training/lists/spoof-{name}.tsv", "--root",
                                    f"training/work/spoof/{name}", "--model", "models/timbre-cm.json", "--json"])
        out[f"spoof-{name}"] = keep
        print(json.dumps({name: keep}), flush=True)
    with open(a.out, "w") as fh:
        json.dump(out, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
