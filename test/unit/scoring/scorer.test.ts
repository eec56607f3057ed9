import { describe, expect, it } from 'vitest';
import { InvalidScoresError, asNormScore, cohortStats, cosineScore, createScorer, probit } from '../../../lambdas/scoring/index.js';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

describe('cosineScore', () => {
  it('ignores length and refuses mismatched sizes', () => {
    expect(cosineScore(v(3, 4), v(6, 8))).toBeCloseTo(1, 7);
    expect(cosineScore(v(1, 0), v(0, 2))).toBe(0);
    expect(cosineScore(v(0, 0), v(1, 1))).toBe(0);
    expect(() => cosineScore(v(1), v(1, 2))).toThrow(InvalidScoresError);
  });
});

describe('cohortStats', () => {
  it('takes mean and population std of the top-N cohort scores', () => {
    const stats = cohortStats(v(1, 0), [v(1, 0), v(0, 1), v(0.6, 0.8)], 2);
    expect(stats.mean).toBeCloseTo(0.8, 6);
    expect(stats.std).toBeCloseTo(0.2, 6);
  });
});

describe('asNormScore', () => {
  it('averages the two z-scores', () => {
    expect(asNormScore(0.9, { mean: 0.8, std: 0.2 }, { mean: 0.5, std: 0.1 })).toBeCloseTo(2.25, 10);
  });
});

describe('createScorer', () => {
  it('calibrates the cosine when there is no cohort', () => {
    const scorer = createScorer({ cohort: null, asNormTopN: 100, calibration: { a: 10, b: -5 } });
    const trial = scorer.score(v(1, 0), v(0.8, 0.6));
    expect(trial.cosine).toBeCloseTo(0.8, 6);
    expect(trial.score).toBe(trial.cosine);
    expect(trial.llr).toBeCloseTo(3, 5);
    expect(trial.score100).toBe(95);
  });

  it('passes the probe net speech to a duration-aware calibration', () => {
    const calibration = { a: 10, b: -5, duration: { slope: 2, offset: -1, referenceSeconds: 10, minSeconds: 1, maxSeconds: 60 } };
    const scorer = createScorer({ cohort: null, asNormTopN: 100, calibration });
    expect(scorer.score(v(1, 0), v(0.8, 0.6)).llr).toBeCloseTo(3, 5);
    const q = Math.log(0.5);
    expect(scorer.score(v(1, 0), v(0.8, 0.6), 5).llr).toBeCloseTo((10 + 2 * q) * 0.8 - 5 - q, 5);
  });

  it('calibrates the AS-norm score when there is a cohort', () => {
    const cohort = [v(1, 0), v(0, 1), v(0.6, 0.8)];
    const scorer = createScorer({ cohort, asNormTopN: 2, calibration: { a: 1, b: 0 } });
    const enrol = v(1, 0);
    const probe = v(0.8, 0.6);
    const expected = asNormScore(cosineScore(enrol, probe), cohortStats(enrol, cohort, 2), cohortStats(probe, cohort, 2));
    const trial = scorer.score(enrol, probe);
    expect(trial.score).toBeCloseTo(expected, 10);
    expect(trial.llr).toBeCloseTo(expected, 10);
  });
});

describe('probit', () => {
  it('inverts the standard normal CDF', () => {
    expect(probit(0.5)).toBe(0);
    expect(probit(0.975)).toBeCloseTo(1.959964, 5);
    expect(probit(0.001)).toBeCloseTo(-3.090232, 5);
    expect(probit(1e-6)).toBeCloseTo(-4.753424, 4);
    expect(probit(0)).toBe(-Infinity);
    expect(probit(1)).toBe(Infinity);
  });
});
