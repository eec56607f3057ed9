import { InvalidScoresError } from './errors.js';
import type { TrialScores } from './types.js';

function checkLlrs({ targets, nontargets }: TrialScores): void {
  if (targets.length === 0 || nontargets.length === 0) {
    throw new InvalidScoresError(`LLR metrics need target and non-target trials (got ${targets.length} and ${nontargets.length})`);
  }
  if (!targets.every(Number.isFinite) || !nontargets.every(Number.isFinite)) throw new InvalidScoresError('LLRs must all be finite');
}

/** log2(1 + e^x) without overflow. */
function softplusBits(x: number): number {
  return (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) / Math.LN2;
}

/**
 * Cllr, the cost of log-likelihood-ratio scores in bits (Brümmer): ½·(mean over targets of log2(1 + e^−llr)
 * + mean over non-targets of log2(1 + e^llr)). 0 is perfect, 1 is an uninformative llr = 0; above 1 the scores
 * mislead. Well-calibrated scores have Cllr close to what the best recalibration of them would give.
 */
export function cllr(llrs: TrialScores): number {
  checkLlrs(llrs);
  return costBits(llrs);
}

/** Cllr's formula; an infinite LLR on the right side of its trials costs them nothing. */
function costBits(llrs: TrialScores): number {
  const mean = (xs: readonly number[], f: (x: number) => number): number => xs.reduce((s, x) => s + f(x), 0) / xs.length;
  return 0.5 * (mean(llrs.targets, (l) => softplusBits(-l)) + mean(llrs.nontargets, (l) => softplusBits(l)));
}

/**
 * Normalised actual detection cost (C_miss = C_fa = 1) of calibrated LLRs at the Bayes threshold for `pTarget`:
 * accept when llr ≥ −logit(pTarget). Compare with minDcf: the gap is what miscalibration costs at that prior.
 */
export function actualDcf(llrs: TrialScores, pTarget: number): number {
  checkLlrs(llrs);
  if (!(pTarget > 0 && pTarget < 1)) throw new InvalidScoresError(`pTarget must be in (0, 1), not ${pTarget}`);
  const threshold = -Math.log(pTarget / (1 - pTarget));
  const pMiss = llrs.targets.filter((l) => l < threshold).length / llrs.targets.length;
  const pFa = llrs.nontargets.filter((l) => l >= threshold).length / llrs.nontargets.length;
  return (pTarget * pMiss + (1 - pTarget) * pFa) / Math.min(pTarget, 1 - pTarget);
}

/**
 * The least Cllr any monotone recalibration of these scores could reach (Brümmer's minimum Cllr): the
 * pool-adjacent-violators fit of P(target | score), turned back into LLRs by removing the trials' own prior.
 * Cllr − minCllr is what miscalibration costs; minCllr itself is what the scores can discriminate.
 */
export function minCllr(scores: TrialScores): number {
  checkLlrs(scores);
  const trials = [...scores.targets.map((s) => ({ s, t: 1 })), ...scores.nontargets.map((s) => ({ s, t: 0 }))].sort((x, y) => x.s - y.s);
  // Blocks of pooled trials; equal scores start in one block so ties get one posterior.
  const blocks: Array<{ targets: number; count: number }> = [];
  for (let i = 0; i < trials.length; ) {
    let j = i;
    let targets = 0;
    while (j < trials.length && trials[j]!.s === trials[i]!.s) targets += trials[j++]!.t;
    blocks.push({ targets, count: j - i });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.targets / prev.count < last.targets / last.count) break;
      blocks.splice(-2, 2, { targets: prev.targets + last.targets, count: prev.count + last.count });
    }
    i = j;
  }
  const priorLogOdds = Math.log(scores.targets.length / scores.nontargets.length);
  const targetLlrs: number[] = [];
  const nontargetLlrs: number[] = [];
  for (const { targets, count } of blocks) {
    const llr = Math.log(targets / (count - targets)) - priorLogOdds;
    for (let k = 0; k < targets; k++) targetLlrs.push(llr);
    for (let k = 0; k < count - targets; k++) nontargetLlrs.push(llr);
  }
  return costBits({ targets: targetLlrs, nontargets: nontargetLlrs });
}
