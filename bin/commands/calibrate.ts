import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fitCalibration, toLlr, toScore100 } from '../../lambdas/scoring/index.js';
import { CommandError, UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { pct, summarise } from './eval.js';
import { MODEL_OPTIONS, MODEL_USAGE } from './model-option.js';
import { scoreTrialListsFromArgs } from './score-trials.js';

const USAGE = `
usage: timbre calibrate --enrol ENROL.tsv --trials TRIALS.tsv --root DIR [--model CARD]

Fits llr = a·score + b by prior-weighted logistic regression (targets and non-targets count equally) on the trials'
scores (cosine, or AS-norm when the card has a cohort), writes a, b and fittedOn into the card's
scoring.calibration, and prints the fit with FAR/FRR at 90 and 50 on these same trials.
Lists as for timbre eval. Calibrate on held-out speakers, not on the ones you report with eval.
${MODEL_USAGE}
`;

/** `timbre calibrate`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('calibrate', async () => {
    const { values } = parseCommandArgs(argv, {
      enrol: { type: 'string' }, trials: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...MODEL_OPTIONS,
    }, false);
    if (printHelp(values.help, USAGE)) return 0;
    const { root, trialList, enrolments, model, trialRun } = await scoreTrialListsFromArgs(values);
    const targets = trialRun.scored.filter((t) => t.target).map((t) => t.score);
    const nontargets = trialRun.scored.filter((t) => !t.target).map((t) => t.score);
    if (targets.length === 0 || nontargets.length === 0) {
      throw new UsageError(`calibration needs target and non-target trials that can be scored (got ${targets.length} and ${nontargets.length})`);
    }
    const fit = fitCalibration({ targets, nontargets });
    const fittedOn = `${targets.length} target and ${nontargets.length} non-target trials of ${basename(trialList)} ` +
      `(${enrolments.length} enrolled speakers, root ${basename(root)}), ${new Date().toISOString().slice(0, 10)}`;

    // Edit the card as JSON so every key it holds (evaluation, notes...) survives; write atomically.
    const cardPath = model.card.cardPath;
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>;
    const scoring = (typeof card['scoring'] === 'object' && card['scoring'] !== null ? card['scoring'] : {}) as Record<string, unknown>;
    scoring['calibration'] = { kind: 'logistic', a: fit.a, b: fit.b, fittedOn };
    card['scoring'] = scoring;
    try {
      writeFileSync(`${cardPath}.tmp`, `${JSON.stringify(card, null, 2)}\n`);
      renameSync(`${cardPath}.tmp`, cardPath);
    } catch (error) {
      throw new CommandError(`cannot write ${cardPath}: ${(error as Error).message}`, { cause: error });
    }

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
        `wrote        scoring.calibration to ${cardPath}`,
        '',
      ].join('\n'),
    );
    return 0;
  });
}
