import { basename, resolve } from 'node:path';
import { fitDurationCalibration, fitLogisticLlr, scoresSeparable, toLlr, toScore100, type Calibration } from '../../lambdas/scoring/index.js';
import { loadModelFromArgs } from './model-option.js';
import { AUDIO_OPTIONS, AUDIO_USAGE } from './audio-input.js';
import { writeCalibratedCard } from './calibrated-card.js';
import { UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { pct, summarise } from './eval.js';
import { MODEL_OPTIONS, MODEL_USAGE, resolveModelCardPath } from './model-option.js';
import { scoreTrialListsFromArgs } from './score-trials.js';

/** Fewer target trials than this make a fit whose slope, and so every 0–100 score, moves from one list to the next. */
const RELIABLE_TARGET_TRIALS = 100;

const USAGE = `
usage: timbre calibrate --enrol ENROL.tsv --trials TRIALS.tsv --root DIR [--enrol ... --trials ... --root ...]
                        (--out NEW.json | --in-place) [--duration] [--raw-rate HZ] [--model CARD]

Fits llr = a·score + b by prior-weighted logistic regression (targets and non-targets count equally) on the trials'
scores (cosine, or AS-norm when the card has a cohort), writes a, b and fittedOn into scoring.calibration of a new
card (--out) or of the card itself (--in-place), and prints the fit with FAR/FRR at 90 and 50 on these same trials.
Lists as for timbre eval; give --enrol, --trials and --root once per list to pool several, each list then weighing
as much as any other whatever its size. Calibrate on held-out speakers, not on the ones you report with eval, and
on at least ${RELIABLE_TARGET_TRIALS} target trials (fewer draw a warning).
  --duration       fit a duration-aware calibration: slope and offset also move with q = ln(probe net speech / 10 s),
                   llr = (a + slope·q)·score + b + offset·q, the net speech clamped to the range the trials cover
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

/** The --enrol, --trials and --root lists, zipped: each must be given as often as the others. */
function trialListSets(values: { enrol?: string[] | undefined; trials?: string[] | undefined; root?: string[] | undefined }): { enrol: string; trials: string; root: string }[] {
  const [enrol, trials, root] = [values.enrol ?? [], values.trials ?? [], values.root ?? []];
  if (enrol.length === 0 || trials.length === 0 || root.length === 0) throw new UsageError('--enrol, --trials and --root are required');
  if (enrol.length !== trials.length || trials.length !== root.length) {
    throw new UsageError(`give --enrol, --trials and --root once per list (got ${enrol.length}, ${trials.length} and ${root.length})`);
  }
  return enrol.map((e, i) => ({ enrol: e, trials: trials[i]!, root: root[i]! }));
}

/** `timbre calibrate`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('calibrate', async () => {
    const { values } = parseCommandArgs(argv, {
      enrol: { type: 'string', multiple: true }, trials: { type: 'string', multiple: true }, root: { type: 'string', multiple: true },
      out: { type: 'string' }, 'in-place': { type: 'boolean' }, duration: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }, ...AUDIO_OPTIONS, ...MODEL_OPTIONS,
    }, false);
    if (printHelp(values.help, USAGE)) return 0;
    const target = targetCardPath(values);
    const lists = trialListSets(values);
    const model = await loadModelFromArgs(values);
    const runs = [];
    for (const list of lists) runs.push(await scoreTrialListsFromArgs({ ...values, ...list }, model));
    // Each list weighs as much as any other: a trial's weight is 1 / the size of its class in its list.
    const trials = runs.flatMap(({ trialRun }) => {
      const count = [trialRun.scored.filter((t) => !t.target).length, trialRun.scored.filter((t) => t.target).length];
      return trialRun.scored.map((t) => ({ score: t.score, probeSeconds: t.probeSeconds, target: t.target, weight: 1 / count[t.target ? 1 : 0]! }));
    });
    const targets = trials.filter((t) => t.target).length;
    const nontargets = trials.length - targets;
    if (targets === 0 || nontargets === 0) {
      throw new UsageError(`calibration needs target and non-target trials that can be scored (got ${targets} and ${nontargets})`);
    }
    if (targets < RELIABLE_TARGET_TRIALS) {
      process.stderr.write(`timbre calibrate: warning: only ${targets} target trials; a fit on fewer than ${RELIABLE_TARGET_TRIALS} is unreliable\n`);
    }
    const calibration: Calibration = values.duration ? fitDurationCalibration(trials) : fitPlainCalibration(trials);
    const listNames = runs.map(({ trialList, enrolments, root }) => `${basename(trialList)} (${enrolments.length} enrolled speakers, root ${basename(root)})`).join(' + ');
    const fittedOn = `${targets} target and ${nontargets} non-target trials of ${listNames}${runs.length > 1 ? ', each list weighted equally' : ''}, ${new Date().toISOString().slice(0, 10)}`;
    const cardPath = model.card.cardPath;
    writeCalibratedCard(cardPath, target, { kind: 'logistic', a: calibration.a, b: calibration.b, ...(calibration.duration !== undefined && { duration: calibration.duration }), fittedOn });

    const recalibrated = runs.flatMap(({ trialRun }) => trialRun.scored).map((t) => {
      const llr = toLlr(t.score, calibration, t.probeSeconds);
      return { ...t, llr, score100: toScore100(llr) };
    });
    const skipped = runs.flatMap(({ trialRun }) => trialRun.skipped);
    const summary = summarise({ scored: recalibrated, skipped, distinctFiles: 0 }, model.card.id);
    const { duration } = calibration;
    const byClass = { targets: trials.filter((t) => t.target).map((t) => t.score), nontargets: trials.filter((t) => !t.target).map((t) => t.score) };
    const sign = (x: number): string => (x < 0 ? '−' : '+');
    process.stdout.write(
      [
        `model        ${model.card.id} (${cardPath})`,
        `fit          llr = ${calibration.a.toFixed(4)} · score ${sign(calibration.b)} ${Math.abs(calibration.b).toFixed(4)}   (Cllr ${summary.cllr.toFixed(4)} bits on these trials)`,
        ...(duration === undefined
          ? []
          : [`duration     slope ${sign(duration.slope)} ${Math.abs(duration.slope).toFixed(4)}·q, offset ${sign(duration.offset)} ${Math.abs(duration.offset).toFixed(4)}·q, q = ln(probe net speech / ${duration.referenceSeconds} s), net speech clamped to ${duration.minSeconds.toFixed(1)}–${duration.maxSeconds.toFixed(1)} s`]),
        ...(scoresSeparable(byClass) ? ['warning      every target outscores every non-target: the slope is arbitrary; calibrate on more, harder trials'] : []),
        `trials       ${summary.targets} target, ${summary.nontargets} non-target${summary.skippedTrials ? `, ${summary.skippedTrials} skipped` : ''}${runs.length > 1 ? ` from ${runs.length} lists` : ''}`,
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

/** `llr = a · score + b` by weighted logistic regression (the weights say how much each trial's list counts). */
function fitPlainCalibration(trials: readonly { score: number; target: boolean; weight: number }[]): Calibration {
  const fit = fitLogisticLlr(trials.map((t) => ({ features: [t.score], target: t.target, weight: t.weight })));
  return { a: fit.coefficients[0]!, b: fit.intercept };
}
