import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { actualDcf, cllr, detCurve, equalErrorRate, errorRatesAt, minCllr, minDcf } from '../../lambdas/scoring/index.js';
import { AUDIO_OPTIONS, AUDIO_USAGE } from './audio-input.js';
import { UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { detPlotSvg } from './det-plot.js';
import { MODEL_OPTIONS, MODEL_USAGE } from './model-option.js';
import { scoreTrialListsFromArgs, type TrialRun } from './score-trials.js';

const USAGE = `
usage: timbre eval --enrol ENROL.tsv --trials TRIALS.tsv --root DIR [--json] [--plot det.svg] [--scores FILE.tsv] [--raw-rate HZ] [--model CARD]

Scores a trial list with the model's full pipeline (VAD, windowing, AS-norm if the card has a cohort, calibration)
and prints EER, minDCF at P_target 0.01 and 0.05, FAR/FRR at the 0–100 thresholds 90 and 50, and how well
calibrated the scores are (Cllr and its minimum, actual DCF).
  ENROL.tsv   speakerId<TAB>file[<TAB>file...]     (files enrolled together)
  TRIALS.tsv  speakerId<TAB>file<TAB>target|nontarget
  --root DIR       folder the listed files are relative to
  --json           print one JSON object (rates as fractions)
  --plot FILE      write the DET curve as SVG
  --scores FILE    write every scored trial as TSV: speaker, probe, target, score, llr, score100 and the net speech
                   (seconds) of enrolment and probe, e.g. to study calibration by duration
${AUDIO_USAGE}
${MODEL_USAGE}
`;

/** The metrics `timbre eval` reports; the first seven keys are the model card's `evaluation` entry. */
export interface EvalSummary {
  eer: number;
  minDcf01: number;
  minDcf05: number;
  farAt90: number;
  frrAt90: number;
  targets: number;
  nontargets: number;
  farAt50: number;
  frrAt50: number;
  /** Calibration quality of the card's LLRs: Cllr in bits (vs minCllr, its best monotone recalibration), and actual DCF at P_target 0.01 and 0.05 (vs minDcf). */
  cllr: number;
  minCllr: number;
  actDcf01: number;
  actDcf05: number;
  skippedTrials: number;
  model: string;
}

/** Metrics of scored trials: EER and minDCF on the (normalised) scores, FAR/FRR on the 0–100 scores. */
export function summarise(run: TrialRun, modelId: string): EvalSummary {
  const raw = { targets: run.scored.filter((t) => t.target).map((t) => t.score), nontargets: run.scored.filter((t) => !t.target).map((t) => t.score) };
  if (raw.targets.length === 0 || raw.nontargets.length === 0) {
    throw new UsageError(`the trial list needs target and non-target trials that can be scored (got ${raw.targets.length} and ${raw.nontargets.length})`);
  }
  const by100 = { targets: run.scored.filter((t) => t.target).map((t) => t.score100), nontargets: run.scored.filter((t) => !t.target).map((t) => t.score100) };
  const llrs = { targets: run.scored.filter((t) => t.target).map((t) => t.llr), nontargets: run.scored.filter((t) => !t.target).map((t) => t.llr) };
  const at90 = errorRatesAt(by100, 90);
  const at50 = errorRatesAt(by100, 50);
  return {
    eer: equalErrorRate(raw),
    minDcf01: minDcf(raw, 0.01),
    minDcf05: minDcf(raw, 0.05),
    farAt90: at90.far,
    frrAt90: at90.frr,
    targets: raw.targets.length,
    nontargets: raw.nontargets.length,
    farAt50: at50.far,
    frrAt50: at50.frr,
    cllr: cllr(llrs),
    minCllr: minCllr(llrs),
    actDcf01: actualDcf(llrs, 0.01),
    actDcf05: actualDcf(llrs, 0.05),
    skippedTrials: run.skipped.length,
    model: modelId,
  };
}

/** The scored trials as TSV with a header row; probe paths relative to `root`. */
export function scoresTsv(run: TrialRun, root: string): string {
  const header = 'speaker\tprobe\ttarget\tscore\tllr\tscore100\tenrolSeconds\tprobeSeconds';
  const rows = run.scored.map((t) =>
    [t.speakerId, relative(resolve(root), t.file), t.target ? 'target' : 'nontarget', t.score.toFixed(6), t.llr.toFixed(4), t.score100, t.enrolSeconds.toFixed(2), t.probeSeconds.toFixed(2)].join('\t'),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

/** A rate as the text reports print it, e.g. `1.25 %`. */
export const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** `timbre eval`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('eval', async () => {
    const { values } = parseCommandArgs(argv, {
      enrol: { type: 'string' }, trials: { type: 'string' }, root: { type: 'string' }, json: { type: 'boolean' },
      plot: { type: 'string' }, scores: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...AUDIO_OPTIONS, ...MODEL_OPTIONS,
    }, false);
    if (printHelp(values.help, USAGE)) return 0;
    const { model, trialRun } = await scoreTrialListsFromArgs(values);
    for (const { reason } of trialRun.skipped.slice(0, 5)) process.stderr.write(`skipped: ${reason}\n`);
    if (trialRun.skipped.length > 5) process.stderr.write(`skipped ${trialRun.skipped.length - 5} more trials\n`);
    const summary = summarise(trialRun, model.card.id);
    if (values.plot !== undefined) {
      const raw = { targets: trialRun.scored.filter((t) => t.target).map((t) => t.score), nontargets: trialRun.scored.filter((t) => !t.target).map((t) => t.score) };
      writeFileSync(values.plot, detPlotSvg(detCurve(raw), summary.eer, `${model.card.id}: ${summary.targets} target / ${summary.nontargets} non-target trials`));
      process.stderr.write(`wrote DET plot to ${values.plot}\n`);
    }
    if (values.scores !== undefined) {
      writeFileSync(values.scores, scoresTsv(trialRun, values.root!));
      process.stderr.write(`wrote ${trialRun.scored.length} scored trials to ${values.scores}\n`);
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      process.stdout.write(
        [
          `model        ${summary.model}`,
          `trials       ${summary.targets} target, ${summary.nontargets} non-target${summary.skippedTrials ? `, ${summary.skippedTrials} skipped (not enough speech)` : ''}`,
          `EER          ${pct(summary.eer)}`,
          `minDCF       ${summary.minDcf01.toFixed(4)} (P_target 0.01)   ${summary.minDcf05.toFixed(4)} (P_target 0.05)`,
          `at 90        FAR ${pct(summary.farAt90)}   FRR ${pct(summary.frrAt90)}`,
          `at 50        FAR ${pct(summary.farAt50)}   FRR ${pct(summary.frrAt50)}`,
          `calibration  Cllr ${summary.cllr.toFixed(4)} bits (min ${summary.minCllr.toFixed(4)})   actDCF ${summary.actDcf01.toFixed(4)} (0.01)   ${summary.actDcf05.toFixed(4)} (0.05)`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  });
}
