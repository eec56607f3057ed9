import { describe, expect, it } from 'vitest';
import { InvalidScoresError, fitCalibration, toLlr, toScore100 } from '../../../lambdas/scoring/index.js';
import { gaussian } from '../../support/gaussian.js';

describe('fitCalibration', () => {
  it('recovers the true LLR line of equal-variance Gaussian scores despite 10 non-targets per target', () => {
    // Prepare: targets ~ N(0.5, 0.1²), non-targets ~ N(0.2, 0.1²): llr(s) = 30·s − 10.5 exactly.
    const normal = gaussian(42);
    const targets = Array.from({ length: 5000 }, () => 0.5 + 0.1 * normal());
    const nontargets = Array.from({ length: 50000 }, () => 0.2 + 0.1 * normal());

    // Act
    const fit = fitCalibration({ targets, nontargets });

    // Assess
    expect(fit.a).toBeGreaterThan(30 * 0.95);
    expect(fit.a).toBeLessThan(30 * 1.05);
    expect(fit.b).toBeGreaterThan(-10.5 * 1.05);
    expect(fit.b).toBeLessThan(-10.5 * 0.95);
    expect(-fit.b / fit.a).toBeCloseTo(0.35, 2); // the equal-posterior point sits midway
    expect(fit.separable).toBe(false);
    expect(fit.cllrBits).toBeGreaterThan(0);
    expect(fit.cllrBits).toBeLessThan(0.4);
  });

  it('gives a finite slope and says so when the classes do not overlap', () => {
    const fit = fitCalibration({ targets: [0.8, 0.9], nontargets: [0.1, 0.2, 0.3] });
    expect(Number.isFinite(fit.a)).toBe(true);
    expect(fit.a).toBeGreaterThan(10);
    expect(fit.separable).toBe(true);
  });

  it('refuses empty and non-finite scores', () => {
    expect(() => fitCalibration({ targets: [], nontargets: [0.1] })).toThrow(InvalidScoresError);
    expect(() => fitCalibration({ targets: [Number.NaN], nontargets: [0.1] })).toThrow(/finite/);
  });
});

describe('toScore100', () => {
  it('maps llr 0 to 50 and ln 9 (9:1) to 90', () => {
    expect(toScore100(0)).toBe(50);
    expect(toScore100(Math.log(9))).toBe(90);
    expect(toScore100(-50)).toBe(0);
    expect(toScore100(50)).toBe(100);
    expect(toLlr(0.5, { a: 10, b: -5 })).toBe(0);
  });
});
