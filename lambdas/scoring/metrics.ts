import { InvalidScoresError } from './errors.js';
import type { ErrorRatePoint, TrialScores } from './types.js';

function checkTrials({ targets, nontargets }: TrialScores): void {
  if (targets.length === 0 || nontargets.length === 0) {
    throw new InvalidScoresError(`error rates need target and non-target trials (got ${targets.length} and ${nontargets.length})`);
  }
  if (!targets.every(Number.isFinite) || !nontargets.every(Number.isFinite)) throw new InvalidScoresError('scores must all be finite');
}

/**
 * The empirical ROC as the acceptance threshold rises through every distinct score: from "accept all"
 * (pFa 1, pMiss 0) to "reject all" (pFa 0, pMiss 1). A trial is accepted when its score ≥ threshold, so tied
 * scores move together. Sorted by rising threshold (falling pFa).
 */
export function errorRateCurve(trials: TrialScores): ErrorRatePoint[] {
  checkTrials(trials);
  const all = [...trials.targets.map((s) => [s, 1] as const), ...trials.nontargets.map((s) => [s, 0] as const)].sort((x, y) => x[0] - y[0]);
  const nt = trials.targets.length;
  const nn = trials.nontargets.length;
  const points: ErrorRatePoint[] = [{ threshold: -Infinity, pFa: 1, pMiss: 0 }];
  let misses = 0;
  let falseAlarms = nn;
  for (let i = 0; i < all.length; ) {
    const threshold = all[i]![0];
    // Raising the threshold just above `threshold` rejects every trial with this score.
    while (i < all.length && all[i]![0] === threshold) {
      if (all[i]![1] === 1) misses++;
      else falseAlarms--;
      i++;
    }
    const next = i < all.length ? all[i]![0] : Infinity;
    points.push({ threshold: next, pFa: falseAlarms / nn, pMiss: misses / nt });
  }
  return points;
}

/**
 * Equal error rate of the ROC convex hull (ROCCH-EER, as BOSARIS `rocch2eer`): the lower convex hull of the
 * empirical (pFa, pMiss) points is where a threshold, or a mix of two neighbouring thresholds, can operate;
 * the EER is where that hull crosses pFa = pMiss. It is never above the steppy curve's crossing and it does
 * not depend on how ties between two neighbouring points are broken.
 * @example equalErrorRate({ targets: [0.9, 0.8, 0.7, 0.3], nontargets: [0.6, 0.4, 0.2, 0.1] }) // 1/6
 */
export function equalErrorRate(trials: TrialScores): number {
  const points = errorRateCurve(trials)
    .map((p) => [p.pFa, p.pMiss] as const)
    .sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  // Andrew's monotone chain, lower hull (in pFa order).
  const hull: (readonly [number, number])[] = [];
  for (const p of points) {
    while (hull.length >= 2) {
      const [o, a] = [hull[hull.length - 2]!, hull[hull.length - 1]!];
      const cross = (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]);
      if (cross > 0) break;
      hull.pop();
    }
    hull.push(p);
  }
  for (let i = 0; i + 1 < hull.length; i++) {
    const [x1, y1] = hull[i]!;
    const [x2, y2] = hull[i + 1]!;
    const f1 = y1 - x1;
    const f2 = y2 - x2;
    if (f1 >= 0 && f2 <= 0) return f1 === f2 ? x1 : x1 + ((x2 - x1) * f1) / (f1 - f2);
  }
  throw new InvalidScoresError('the ROC hull does not cross pFa = pMiss'); // unreachable: it runs from (0,1) to (1,0)
}

/**
 * Normalised minimum detection cost (NIST, C_miss = C_fa = 1):
 * min over thresholds of (P_tar · pMiss + (1 − P_tar) · pFa) / min(P_tar, 1 − P_tar), over the empirical points.
 * 1.0 is the cost of always answering the same way.
 */
export function minDcf(trials: TrialScores, pTarget: number): number {
  if (!(pTarget > 0 && pTarget < 1)) throw new InvalidScoresError(`pTarget must be in (0, 1), not ${pTarget}`);
  const norm = Math.min(pTarget, 1 - pTarget);
  let best = Infinity;
  for (const p of errorRateCurve(trials)) best = Math.min(best, (pTarget * p.pMiss + (1 - pTarget) * p.pFa) / norm);
  return best;
}

/**
 * False-accept and false-reject rates at one threshold (accept when score ≥ threshold), e.g. on 0–100 scores at 90.
 */
export function errorRatesAt(trials: TrialScores, threshold: number): { far: number; frr: number } {
  checkTrials(trials);
  const far = trials.nontargets.filter((s) => s >= threshold).length / trials.nontargets.length;
  const frr = trials.targets.filter((s) => s < threshold).length / trials.targets.length;
  return { far, frr };
}

/**
 * Points of the DET curve (pMiss against pFa), at most `maxPoints` of them spread along the curve, with both
 * ends kept; probit axes are the plotter's business.
 */
export function detCurve(trials: TrialScores, maxPoints = 1000): ErrorRatePoint[] {
  const curve = errorRateCurve(trials);
  if (curve.length <= maxPoints) return curve;
  const step = (curve.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => curve[Math.round(i * step)]!);
}
