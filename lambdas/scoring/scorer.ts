import { asNormScore, cohortStats, type CohortStats } from './as-norm.js';
import { toLlr, toScore100 } from './calibration.js';
import { cosineScore } from './cosine.js';
import type { ScoringConfig, TrialScore } from './types.js';

/** Scores trials by one card's scoring settings; cohort statistics are computed once per embedding object. */
export interface Scorer {
  /**
   * Cosine, AS-norm (when the config has a cohort), calibrated LLR and the 0–100 score.
   * @param probeSeconds - the probe's net speech, for a duration-aware calibration (else the reference duration)
   */
  score(enrol: Float32Array, probe: Float32Array, probeSeconds?: number): TrialScore;
}

/**
 * Builds the scoring chain cosine → AS-norm (if a cohort is configured) → `llr = a·s + b` → 0–100.
 * @example createScorer(card.scoring).score(voiceprint, probe).score100 // 94
 */
export function createScorer(config: ScoringConfig): Scorer {
  const { cohort, asNormTopN, calibration } = config;
  const stats = new WeakMap<Float32Array, CohortStats>();
  const statsOf = (embedding: Float32Array, c: readonly Float32Array[]): CohortStats => {
    let s = stats.get(embedding);
    if (s === undefined) {
      s = cohortStats(embedding, c, asNormTopN);
      stats.set(embedding, s);
    }
    return s;
  };
  return {
    score(enrol, probe, probeSeconds) {
      const cosine = cosineScore(enrol, probe);
      const score = cohort === null ? cosine : asNormScore(cosine, statsOf(enrol, cohort), statsOf(probe, cohort));
      const llr = toLlr(score, calibration, probeSeconds);
      return { cosine, score, llr, score100: toScore100(llr) };
    },
  };
}
