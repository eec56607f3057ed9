"""Side-by-side markdown table of model cards' `evaluation` rows (written by cli_eval --into-card), one column
group per card, and for each later card whether its EER and minDCF(0.01) beat the first card's on every row.

Usage (repository root): /usr/bin/python3 -m training.timbre_train.compare_cards [--what accuracy|calibration]
       models/timbre-default.json CARD...   (accuracy: EER and minDCF(0.01); calibration: Cllr / min, FAR / FRR at 90)
"""
import json
import sys

SHORT = {
    "held-out-long": "v1 long (30 s / 10 s)", "held-out-long-same-language": "v1 long, same language",
    "held-out-long-cross-language": "v1 long, cross-language", "held-out-short-librispeech": "v1 LibriSpeech 8 s / 4 s",
    "held-out-short-speech-commands": "v1 Speech Commands", "v2-mismatch": "(a) mismatched channels",
    "v2-short": "(b) 5-s probes", "v2-common-voice": "(c) Common Voice", "v2-cross-session": "(d) cross-session",
}


def rows_of(path: str) -> dict:
    card = json.load(open(path))
    return card["id"], {(r["set"], r["condition"]): r for r in card["evaluation"]}


COLUMNS = {"accuracy": ["EER", "minDCF"], "calibration": ["Cllr / min", "FAR / FRR at 90"]}


def cell(r: dict, what: str) -> str:
    if r is None:
        return "– | –"
    if what == "accuracy":
        return f"{100 * r['eer']:.1f} % | {r['minDcf01']:.3f}"
    cllr = f"{r['cllr']:.2f} / {r['minCllr']:.2f}" if "minCllr" in r else "–"
    return f"{cllr} | {100 * r['farAt90']:.1f} / {100 * r['frrAt90']:.1f} %"


def main(argv=None) -> int:
    paths = list(argv if argv is not None else sys.argv[1:])
    what = "accuracy"
    if paths[:1] == ["--what"] and len(paths) > 1 and paths[1] in COLUMNS:
        what, paths = paths[1], paths[2:]
    if len(paths) < 1 or paths[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    cards = [rows_of(p) for p in paths]
    base_id, base = cards[0]
    head = "| set | condition | trials | " + " | ".join(f"{cid} {c}" for cid, _ in cards for c in COLUMNS[what]) + " |"
    print(head)
    print("|" + " --- |" * (3 + 2 * len(cards)))
    for key, r in base.items():
        if key[0] in ("held-out-long-same-language", "held-out-long-cross-language"):
            continue   # subsets of held-out-long: in the model card
        trials = f"{r['targets']} / {r['nontargets']}"
        print(f"| {SHORT.get(key[0], key[0])} | {key[1]} | {trials} | " +
              " | ".join(cell(rows.get(key), what) for _, rows in cards) + " |")
    for cid, rows in cards[1:] if what == "accuracy" else []:
        worse = [f"{k[0]} {k[1]}" for k, r in base.items()
                 if k not in rows or rows[k]["eer"] > r["eer"] or rows[k]["minDcf01"] > r["minDcf01"]]
        print(f"\n{cid}: " + ("beats " + base_id + " on every row (EER and minDCF)" if not worse else
                             f"not better than {base_id} in EER or minDCF on {len(worse)} of {len(base)} rows: "
                             + ", ".join(worse)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
