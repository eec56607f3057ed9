import { basename, resolve } from 'node:path';
import { fitCalibration, toLlr, toScore100 } from '../../lambdas/scoring/index.js';
import { AUDIO_OPTIONS, AUDIO_USAGE } from './audio-input.js';
import { writeCalibratedCard } from './calibrated-card.js';
import { UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { pct, summarise } from './eval.js';
import { MODEL_OPTIONS, MODEL_USAGE, resolveModelCardPath } from './model-option.js';
import { scoreTrialListsFromArgs } from './score-trials.js';

/** Fewer target trials than this make a fit whose slope, and so every 0–100 score, moves from one list to the next. */
const RELIABLE_TARGET_TRIALS = 100;

const USAGE = `
usage: timbre calibrate --enrol ENROL.tsv --trials TRIALS.tsv --root DIR (--out NEW.json | --in-place) [--raw-rate HZ] [--model CARD]

Fits llr = a·score + b by prior-weighted logistic regression (targets and non-targets count equally) on the trials'
scores (cosine, or AS-norm when the card has a cohort), writes a, b and fittedOn into scoring.calibration of a new
card (--out) or of the card itself (--in-place), and prints the fit with FAR/FRR at 90 and 50 on these same trials.
Lists as for timbre eval. Calibrate on held-out speakers, not on the ones you report with eval, and on at least
${RELIABLE_TARGET_TRIALS} target trials (fewer draw a warning).
  --out FILE       write the calibrated card to FILE (the files it names are found from there)
  --in-place       rewrite the card itself
${AUDIO_USAGE}
${MODEL_USAGE}
`;

/** Where the calibrated card goes: `--out`, or the card itself with `--in-place`; neither (or both) is refused. */
function targetCardPath(values: { out?: string | undefined; 'in-place'?: boolean | undefined; model?: string | undefined }): string {
  const cardPath = resolveModelCardPath(values.model);
  if (values.out !== undefined && values['in-place']) throw new UsageError('give --out FILE or --in-place, not both');
  if (values['in-place']) return cardPath;
  if (values.out === undefined) throw new UsageError(`give --out FILE for a new card, or --in-place to rewrite ${cardPath}`);
  const out = resolve(values.out);
  if (out === cardPath) throw new UsageError(`--out names the card itself; give --in-place to rewrite it`);
  return out;
}

/** `timbre calibrate`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('calibrate', async () => {
    const { values } = parseCommandArgs(argv, {
      enrol: { type: 'string' }, trials: { type: 'string' }, root: { type: 'string' }, out: { type: 'string' }, 'in-place': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }, ...AUDIO_OPTIONS, ...MODEL_OPTIONS,
    }, false);
    if (printHelp(values.help, USAGE)) return 0;
    const target = targetCardPath(values);
    const { root, trialList, enrolments, model, trialRun } = await scoreTrialListsFromArgs(values);
    const targets = trialRun.scored.filter((t) => t.target).map((t) => t.score);
    const nontargets = trialRun.scored.filter((t) => !t.target).map((t) => t.score);
    if (targets.length === 0 || nontargets.length === 0) {
      throw new UsageError(`calibration needs target and non-target trials that can be scored (got ${targets.length} and ${nontargets.length})`);
    }
    if (targets.length < RELIABLE_TARGET_TRIALS) {
      process.stderr.write(`timbre calibrate: warning: only ${targets.length} target trials; a fit on fewer than ${RELIABLE_TARGET_TRIALS} is unreliable\n`);
    }
    const fit = fitCalibration({ targets, nontargets });
    const fittedOn = `${targets.length} target and ${nontargets.length} non-target trials of ${basename(trialList)} ` +
      `(${enrolments.length} enrolled speakers, root ${basename(root)}), ${new Date().toISOString().slice(0, 10)}`;
    const cardPath = model.card.cardPath;
    writeCalibratedCard(cardPath, target, { kind: 'logistic', a: fit.a, b: fit.b, fittedOn });

    const calibration = { a: fit.a, b: fit.b };
    const recalibrated = trialRun.scored.map((t) => ({ ...t, llr: toLlr(t.score, calibration), score100: toScore100(toLlr(t.score, calibration)) }));
    const summary = summarise({ ...trialRun, scored: recalibrated }, model.card.id);
    process.stdout.write(
      [
        `model        ${model.card.id} (${cardPath})`,
        `fit          llr = ${fit.a.toFixed(4)} · score ${fit.b < 0 ? '−' : '+'} ${Math.abs(fit.b).toFixed(4)}   (${fit.iterations} Newton steps, Cllr ${fit.cllrBits.toFixed(4)} bits)`,
        ...(fit.separable ? ['warning      every target outscores every non-target: the slope is arbitrary; calibrate on more, harder trials'] : []),
        `trials       ${summary.targets} target, ${summary.nontargets} non-target${summary.skippedTrials ? `, ${summary.skippedTrials} skipped` : ''}`,
        `EER          ${pct(summary.eer)}`,
        `at 90        FAR ${pct(summary.farAt90)}   FRR ${pct(summary.frrAt90)}`,
        `at 50        FAR ${pct(summary.farAt50)}   FRR ${pct(summary.frrAt50)}`,
        `wrote        scoring.calibration to ${target}`,
        '',
      ].join('\n'),
    );
    return 0;
  });
}
