import { cosineScore } from './cosine.js';
import { InvalidScoresError } from './errors.js';

/** Mean and (population) standard deviation of an embedding's top-N cohort scores. */
export interface CohortStats {
  readonly mean: number;
  readonly std: number;
}

/**
 * The statistics AS-norm needs for one side of a trial, as WeSpeaker's score_norm.py `get_mean_std`: cosine against
 * every cohort embedding, keep the `topN` highest, their mean and numpy-style std (ddof = 0).
 * With topN ≥ cohort size this is S-norm.
 */
export function cohortStats(embedding: Float32Array, cohort: readonly Float32Array[], topN: number): CohortStats {
  if (cohort.length === 0) throw new InvalidScoresError('the AS-norm cohort is empty');
  const scores = cohort.map((c) => cosineScore(embedding, c)).sort((x, y) => y - x).slice(0, Math.max(1, topN));
  const mean = scores.reduce((s, v) => s + v, 0) / scores.length;
  const variance = scores.reduce((s, v) => s + (v - mean) * (v - mean), 0) / scores.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Adaptive symmetric normalisation: the mean of the score's z-normalisation against the enrolment side's cohort
 * statistics and against the probe side's, `0.5 · ((s − μe)/σe + (s − μp)/σp)`.
 * A zero σ (a one-vector cohort) is floored so the result stays finite.
 */
export function asNormScore(score: number, enrol: CohortStats, probe: CohortStats): number {
  const floor = 1e-6;
  return 0.5 * ((score - enrol.mean) / Math.max(enrol.std, floor) + (score - probe.mean) / Math.max(probe.std, floor));
}
