"""Render models/timbre-cm.md (the countermeasure's prose card) from models/timbre-cm.json.

Usage: /usr/bin/python3 -m timbre_train.cm_card_md models/timbre-cm.json [--aasist work/aasist-results.json]
       [--cpu-ms MS] > models/timbre-cm.md
Every number comes from the JSON card (measured by timbre eval-spoof, see cm_measure) or from the AASIST-L
comparison (cm_aasist --out); --cpu-ms is `npm run bench`'s countermeasure figure per 10 s of audio.
"""
import argparse
import json
import sys

GOAL_BPCER_REAL_8K = 0.01
GOAL_EER_8K = 0.05


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def count(x) -> str:
    return f"{x:,}" if isinstance(x, int) else "?"


def real_8k(measured: dict):
    """Pooled BPCER and count of the real 8 kHz bona fide sources (real-8k-*) of one measured list."""
    src = {k: v for k, v in measured.get("bonafideSources", {}).items() if k.startswith("real-8k")}
    n = sum(v["count"] for v in src.values())
    return (sum(v["bpcer"] * v["count"] for v in src.values()) / n if n else None), n


def measured_section(card: dict) -> str:
    out = []
    for name, m in card["measured"].items():
        out.append(f"### {name}: {m['counts']['bonafide']} bona fide, {m['counts']['spoof']} spoof files"
                   f" ({m.get('skipped', 0)} skipped: under 1 s of speech)\n")
        out.append(f"EER **{pct(m['eer'])}**; BPCER at 50 **{pct(m['bpcer'])}** (bona fide flagged).\n")
        rows = ["| bona fide source | files | BPCER at 50 |", "| --- | --- | --- |"]
        rows += [f"| {k} | {v['count']} | {pct(v['bpcer'])} |" for k, v in m.get("bonafideSources", {}).items()]
        rows += ["", "| attack (held out) | APCER at 50 |", "| --- | --- |"]
        rows += [f"| {k} | {pct(v)} |" for k, v in m["apcer"].items()]
        out.append("\n".join(rows) + "\n")
        out.append(f"`{m['command']}`\n")
    return "\n".join(out)


def aasist_section(card: dict, aasist: dict) -> str:
    rows = ["| list | model | EER | BPCER at 50 | real 8 kHz BPCER | bona fide / spoof |", "| --- | --- | --- | --- | --- | --- |"]
    for name, m in card["measured"].items():
        r8, n8 = real_8k(m)
        rows.append(f"| {name} | {card['id']} (calibrated) | {pct(m['eer'])} | {pct(m['bpcer'])} | "
                    f"{pct(r8) if n8 else '–'} | {m['counts']['bonafide']} / {m['counts']['spoof']} |")
        a = aasist.get(f"{name}.tsv", {})
        for kind in ("uncalibrated", "calibrated"):
            if kind in a:
                am = a[kind]
                ar8, an8 = real_8k(am)
                rows.append(f"| {name} | AASIST-L ({kind}) | {pct(am['eer'])} | {pct(am['bpcer'])} | "
                            f"{pct(ar8) if an8 else '–'} | {am['counts']['bonafide']} / {am['counts']['spoof']} |")
    cal = aasist.get("calibration")
    note = (f" 'calibrated' is AASIST-L with a logistic calibration fitted on the same calibration list as Timbre's "
            f"(a = {cal['a']:.3f}, b = {cal['b']:.3f}), which is fairer to it than its raw scores." if cal else "")
    return ("AASIST-L (Jung et al. 2022; the published ASVspoof 2019 LA weights, MIT, read at run time and never "
            "shipped) on the same files, scored by `python3 -m timbre_train.cm_aasist` on the 16 kHz waveform with "
            "the runtime's windows but without the VAD, so its counts differ slightly." + note + "\n\n" + "\n".join(rows) + "\n")


def goals_section(card: dict) -> str:
    m8 = card["measured"].get("spoof-eval-8k")
    if not m8:
        return ""
    r8, n8 = real_8k(m8)
    met = lambda ok: "met" if ok else "**not met**"
    return (f"| goal | reached | |\n| --- | --- | --- |\n"
            f"| BPCER at 50 ≤ {pct(GOAL_BPCER_REAL_8K)} on real narrow-band speech of held-out speakers | "
            f"{pct(r8)} of {n8} files | {met(r8 is not None and r8 <= GOAL_BPCER_REAL_8K)} |\n"
            f"| EER ≤ {pct(GOAL_EER_8K)} on held-out engines and vocoders through the 8 kHz channel | "
            f"{pct(m8['eer'])} ({m8['counts']['bonafide']} bona fide, {m8['counts']['spoof']} spoof) | "
            f"{met(m8['eer'] <= GOAL_EER_8K)} |\n")


def render(card: dict, aasist: dict, cpu_ms) -> str:
    t, h, cal, w = card.get("trainedOn", {}), card["heldOut"], card["calibration"], card["windowing"]
    fs = t.get("featureSets", {})
    facts = [
        ("id", card["id"]), ("file", f"models/{card['onnx']} (sha256 {card['sha256']})"),
        ("parameters", f"{card['params']:,}"),
        ("input", "`feats` float32 [batch, frames, 80]: the speaker model's Kaldi fbank frames (16 kHz, 25 / 10 ms, "
                  "80 bins) before mean normalisation; the graph normalises each window itself"),
        ("output", "`logits` float32 [batch]: spoof-versus-bona-fide log-odds per window, positive = spoof"),
        ("scoring", f"windows of {w['windowSeconds']:g} s every {w['hopSeconds']:g} s over the call's net speech (VAD), "
                    f"at least {w['minSeconds']:g} s; {w['pooling']} of the window logits; "
                    f"VoiceSpoofingRisk = round(100 × sigmoid({cal['a']:.4f} × logit {'+' if cal['b'] >= 0 else '-'} {abs(cal['b']):.4f}))"),
        ("calibration", cal.get("fittedOn", "")),
        ("CPU", f"{cpu_ms:g} ms per 10 s of audio, one thread (`npm run bench`)" if cpu_ms else "see `npm run bench`"),
        ("licence", card.get("licence", "")),
    ]
    out = [f"# {card['id']} — Timbre's voice-spoofing countermeasure\n",
           "Generated from models/timbre-cm.json by `training/timbre_train/cm_card_md.py`; every rate below was "
           "measured by `timbre eval-spoof` (the product's own scoring path) and is reproduced by the command under it.\n",
           "| | |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in facts) + "\n",
           "## Architecture\n",
           "A residual 2-D CNN over the log-mel frames (stride-2 stem, residual blocks 16 → 32 → 64 channels), a 1×1 "
           "projection of each frame to 128, mean and standard-deviation pooling over time and a two-layer head. It "
           "shares the speaker model's front end, so a call's frames are computed once for both.\n",
           "## Training\n",
           f"Trained from scratch for {t.get('minutes', '?')} minutes on one CPU thread ({count(t.get('steps'))} steps "
           f"of 32 class-balanced windows of 1–4 s) on {count(fs.get('bonafide'))} bona fide and {count(fs.get('spoof'))} "
           f"spoof feature sets. Bona fide: {t.get('bonafide', '')}. Spoof attacks: {', '.join(t.get('attacks', []))}. "
           f"Each clip is seen wideband and through telephone channels ({', '.join(c for c in t.get('channels', []) if c != 'wide')}), "
           "bona fide and spoof alike, so the channel is not what the model learns.\n",
           "## Held out\n",
           f"Never in training: engines {', '.join(h['engines'])}; vocoders and replay settings {', '.join(h['vocoders'])}. "
           f"Calibration only: {', '.join(h['calibrationAttacks'])}. Speakers: {h['speakers']}.\n",
           "The held-out lists (training/lists/spoof-eval-16k.tsv and spoof-eval-8k.tsv) hold the same clips wideband and "
           "through 8 kHz G.711 (mu-law or A-law, band limit, some noise); the 8 kHz list adds real 8 kHz recordings of "
           "held-out people (sources `real-8k-*`). `training/timbre_train/cm_prep.py` rebuilds the files exactly.\n",
           "## Measured\n", measured_section(card),
           "## Against the goals\n", goals_section(card)]
    if aasist:
        out += ["## Compared with AASIST-L\n", aasist_section(card, aasist)]
    out += ["## What limits it\n",
            "- Real narrow-band bona fide speech in training comes from two professional IVR voices only (the other "
            "8 kHz recordings here are copyleft and only measure); amateur 8 kHz recordings (FSDD) are what it "
            "flags most.\n- No neural TTS or voice conversion is available offline here: the vocoders stand in for "
            "them, and an unseen statistical-parametric voice (festival's HTS slt) is mostly missed.\n- Replay is "
            "simulated (loudspeaker band-pass, clipping, reverberation), not re-recorded.\n- One hour of training "
            "on one CPU thread; `training/run-cm.sh --minutes` and `--scale` trade time for data and steps.\n"]
    out += ["## Rebuild\n", "`training/run-cm.sh` (data, training, export, calibration, measurement; see training/README.md).\n"]
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("card")
    p.add_argument("--aasist")
    p.add_argument("--cpu-ms", type=float)
    a = p.parse_args(argv)
    card = json.load(open(a.card))
    aasist = json.load(open(a.aasist)) if a.aasist else {}
    sys.stdout.write(render(card, aasist, a.cpu_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
