import { describe, expect, it } from 'vitest';
import { InvalidScoresError, actualDcf, cllr, detCurve, equalErrorRate, errorRateCurve, errorRatesAt, minCllr, minDcf } from '../../../lambdas/scoring/index.js';

// Worked by hand in docs/models.md: the steppy ROC crosses pFa = pMiss at 0.25, its convex hull at 1/6.
const HAND = { targets: [0.9, 0.8, 0.7, 0.3], nontargets: [0.6, 0.4, 0.2, 0.1] };
// Here the cheapest operating point depends on the target prior.
const SKEWED = { targets: [0.9, 0.5], nontargets: [0.6, 0.1, 0.05, 0] };

describe('errorRateCurve', () => {
  it('runs from accept-all to reject-all through every distinct score', () => {
    const curve = errorRateCurve(SKEWED);
    expect(curve.map((p) => [p.pFa, p.pMiss])).toEqual([[1, 0], [0.75, 0], [0.5, 0], [0.25, 0], [0.25, 0.5], [0, 0.5], [0, 1]]);
    expect(curve[1]!.threshold).toBe(0.05);
  });

  it('moves tied scores together', () => {
    const curve = errorRateCurve({ targets: [0.5, 0.5], nontargets: [0.5, 0.2] });
    expect(curve.map((p) => [p.pFa, p.pMiss])).toEqual([[1, 0], [0.5, 0], [0, 1]]);
  });
});

describe('equalErrorRate', () => {
  it('is the ROC convex hull crossing on a hand-computed list', () => {
    expect(equalErrorRate(HAND)).toBeCloseTo(1 / 6, 12);
  });

  it('is 0 when every target outscores every non-target and 0.5 when nothing separates them', () => {
    expect(equalErrorRate({ targets: [0.9, 0.8], nontargets: [0.1, 0.2, 0.3] })).toBe(0);
    expect(equalErrorRate({ targets: [0.5, 0.5], nontargets: [0.5, 0.5] })).toBe(0.5);
  });

  it('is 0.5 when the scores are exactly backwards: the hull mixes accept-all and reject-all', () => {
    expect(equalErrorRate({ targets: [0.1], nontargets: [0.9] })).toBe(0.5);
  });

  it('refuses a list without targets', () => {
    expect(() => equalErrorRate({ targets: [], nontargets: [1] })).toThrow(InvalidScoresError);
  });
});

describe('minDcf', () => {
  it('is normalised NIST cost at its best threshold', () => {
    expect(minDcf(HAND, 0.01)).toBeCloseTo(0.25, 12);
    expect(minDcf(SKEWED, 0.01)).toBeCloseTo(0.5, 12);
    expect(minDcf(SKEWED, 0.5)).toBeCloseTo(0.25, 12);
  });

  it('never exceeds 1, the cost of a constant answer', () => {
    expect(minDcf({ targets: [0.1], nontargets: [0.9] }, 0.05)).toBe(1);
  });
});

describe('errorRatesAt', () => {
  it('accepts at or above the threshold', () => {
    expect(errorRatesAt({ targets: [95, 90, 89, 20], nontargets: [90, 50, 10, 0, 3] }, 90)).toEqual({ far: 0.2, frr: 0.5 });
  });
});

describe('detCurve', () => {
  it('keeps both ends when thinning a long curve', () => {
    const targets = Array.from({ length: 500 }, (_, i) => 0.5 + i / 1000);
    const nontargets = Array.from({ length: 500 }, (_, i) => i / 1000);
    const points = detCurve({ targets, nontargets }, 50);
    expect(points).toHaveLength(50);
    expect(points[0]).toMatchObject({ pFa: 1, pMiss: 0 });
    expect(points[49]).toMatchObject({ pFa: 0, pMiss: 1 });
  });
});

describe('cllr', () => {
  it('is 1 bit for uninformative LLRs and near 0 for confident right ones', () => {
    expect(cllr({ targets: [0, 0], nontargets: [0] })).toBeCloseTo(1, 12);
    expect(cllr({ targets: [20], nontargets: [-20] })).toBeLessThan(1e-8);
    expect(cllr({ targets: [-5], nontargets: [5] })).toBeGreaterThan(1);
  });

  it('matches a hand computation', () => {
    // ½·(log2(1 + e^−ln 3) + log2(1 + e^{ln 1/3}))) = ½·(2·log2(4/3)) = log2(4/3)
    expect(cllr({ targets: [Math.log(3)], nontargets: [Math.log(1 / 3)] })).toBeCloseTo(Math.log2(4 / 3), 12);
  });
});

describe('minCllr', () => {
  it('is 0 for separable scores and 1 bit for scores that carry no information, on any scale', () => {
    expect(minCllr({ targets: [0.2, 0.9], nontargets: [0.1, -4] })).toBe(0);
    expect(minCllr({ targets: [7, 7], nontargets: [7, 7, 7] })).toBeCloseTo(1, 12);
  });

  it('matches a hand computation of the pool-adjacent-violators fit', () => {
    // Sorted: 0 n, 1 t, 2 n, 3 t. PAV pools {1 t, 2 n} at P = ½; the ends get ∓∞. With equal class counts
    // the pooled pair's LLR is 0 (1 bit each), the ends cost nothing: ½·(½ + ½) = ½.
    expect(minCllr({ targets: [1, 3], nontargets: [2, 0] })).toBeCloseTo(0.5, 12);
  });

  it('does not change under a monotone rescaling and never exceeds Cllr of the same scores', () => {
    const scores = { targets: [2.1, 0.3, 1.7, -0.4, 3.2, 0.9], nontargets: [-1.5, 0.5, -2.2, 1.1, -0.1, -3, 0.2] };
    const rescaled = { targets: scores.targets.map((s) => Math.exp(s) * 4 - 1), nontargets: scores.nontargets.map((s) => Math.exp(s) * 4 - 1) };
    expect(minCllr(rescaled)).toBeCloseTo(minCllr(scores), 12);
    expect(minCllr(scores)).toBeLessThan(cllr(scores));
    expect(minCllr(scores)).toBeGreaterThan(0);
  });
});

describe('actualDcf', () => {
  it('costs the decisions taken at the Bayes threshold −logit(P_tar)', () => {
    // P_tar 0.5: threshold 0. One target of two missed, one non-target of two accepted.
    expect(actualDcf({ targets: [1, -1], nontargets: [0.5, -3] }, 0.5)).toBeCloseTo(1, 12);
    // P_tar 0.01: threshold ln 99 ≈ 4.6. Both targets missed, no false alarms.
    expect(actualDcf({ targets: [1, 3], nontargets: [0.5, -3] }, 0.01)).toBeCloseTo(1, 12);
    expect(actualDcf({ targets: [5, 6], nontargets: [0.5, -3] }, 0.01)).toBe(0);
  });
});
