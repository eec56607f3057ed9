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
