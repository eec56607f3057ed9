import { describe, expect, it } from 'vitest';
import { knownFraudsterRisk, toScore100 } from '../../../lambdas/scoring/index.js';
import { gaussian } from '../../support/gaussian.js';

/**
 * Calibrated non-target LLRs of a model with separation d': llr ~ N(−d'²/2, d'²), the shape a well-calibrated
 * Gaussian model gives (targets would be N(+d'²/2, d'²)). d' = 5 is an EER of about 0.6 %.
 */
function nontargetLlrs(count: number, dPrime: number, normal: () => number): number[] {
  return Array.from({ length: count }, () => -(dPrime ** 2) / 2 + dPrime * normal());
}

describe('knownFraudsterRisk', () => {
  it('keeps false alarms near the single-comparison rate as the list grows, where the best score flags ever more callers', () => {
    // Prepare: 20,000 genuine callers compared with lists of 1, 10 and 100 fraudsters none of them is
    const normal = gaussian(7);
    const flagged = (size: number): { mean: number; max: number } => {
      let mean = 0;
      let max = 0;
      for (let call = 0; call < 20000; call++) {
        const llrs = nontargetLlrs(size, 5, normal);
        if (knownFraudsterRisk(llrs).riskScore >= 50) mean++;
        if (toScore100(Math.max(...llrs)) >= 50) max++;
      }
      return { mean: mean / 20000, max: max / 20000 };
    };

    // Act
    const [one, ten, hundred] = [1, 10, 100].map(flagged);

    // Assess: identical for one fraudster; 100 times the comparisons cost the mean a few times the false alarms
    // (each extra fraudster is a real, small chance of a match), the max tens of times
    expect(one!.mean).toBe(one!.max);
    expect(one!.mean).toBeGreaterThan(0.003);
    expect(ten!.mean).toBeLessThan(3 * one!.mean);
    expect(hundred!.mean).toBeLessThan(6 * one!.mean);
    expect(hundred!.max).toBeGreaterThan(30 * one!.max);
    expect(hundred!.mean).toBeLessThan(hundred!.max / 10);
  });

  it('gives no risk and no closest fraudster for an empty list', () => {
    // Act
    const risk = knownFraudsterRisk([]);

    // Assess
    expect(risk).toEqual({ riskScore: 0, llr: Number.NEGATIVE_INFINITY, closestIndex: undefined });
  });

  it('names the closest fraudster and takes the mean of the likelihood ratios', () => {
    // Act
    const risk = knownFraudsterRisk([-6.1, 4.2, -3.0]);

    // Assess: llr = ln((e^-6.1 + e^4.2 + e^-3.0) / 3)
    expect(risk.closestIndex).toBe(1);
    expect(risk.llr).toBeCloseTo(Math.log((Math.exp(-6.1) + Math.exp(4.2) + Math.exp(-3.0)) / 3), 12);
    expect(risk.riskScore).toBe(96);
  });

  it('is the same whatever order the fraudsters come in, and names no one when the risk rounds to 0', () => {
    // Act
    const forward = knownFraudsterRisk([-9, -8, 1]);
    const reversed = knownFraudsterRisk([1, -8, -9]);
    const remote = knownFraudsterRisk([-12, -15]);

    // Assess
    expect(forward.llr).toBeCloseTo(reversed.llr, 12);
    expect([forward.closestIndex, reversed.closestIndex]).toEqual([2, 0]);
    expect(remote.riskScore).toBe(0);
    expect(remote.closestIndex).toBeUndefined();
  });

  it('applies the watchlist calibration to the mean LLR', () => {
    // Act
    const identity = knownFraudsterRisk([0.5, -1]);
    const fitted = knownFraudsterRisk([0.5, -1], { a: 0.5, b: -2 });

    // Assess
    expect(fitted.llr).toBeCloseTo(0.5 * identity.llr - 2, 12);
    expect(fitted.riskScore).toBe(toScore100(fitted.llr));
  });
});
