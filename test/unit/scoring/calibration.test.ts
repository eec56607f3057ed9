import { describe, expect, it } from 'vitest';
import { InvalidScoresError, cllr, fitCalibration, fitDurationCalibration, fitLogisticLlr, toLlr, toScore100, type DurationTrial } from '../../../lambdas/scoring/index.js';
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

describe('fitLogisticLlr', () => {
  it('weighs each trial by its weight within its class: duplicating a trial equals doubling its weight', () => {
    const normal = gaussian(7);
    const trials = Array.from({ length: 400 }, (_, i) => ({ features: [i % 2 === 0 ? 0.6 + 0.1 * normal() : 0.2 + 0.1 * normal()], target: i % 2 === 0 }));
    const doubled = fitLogisticLlr([...trials, ...trials.slice(0, 100)]);
    const weighted = fitLogisticLlr(trials.map((t, i) => ({ ...t, weight: i < 100 ? 2 : 1 })));
    expect(weighted.coefficients[0]).toBeCloseTo(doubled.coefficients[0]!, 6);
    expect(weighted.intercept).toBeCloseTo(doubled.intercept, 6);
    expect(fitLogisticLlr(trials).coefficients[0]).not.toBeCloseTo(doubled.coefficients[0]!, 2);
  });

  it('refuses trials with different numbers of features, negative weights and an empty class', () => {
    expect(() => fitLogisticLlr([{ features: [1], target: true }, { features: [1, 2], target: false }])).toThrow(/features/);
    expect(() => fitLogisticLlr([{ features: [1], target: true, weight: -1 }, { features: [0], target: false }])).toThrow(InvalidScoresError);
    expect(() => fitLogisticLlr([{ features: [1], target: true }])).toThrow(/target and non-target/);
  });
});

describe('fitDurationCalibration', () => {
  // Scores whose target/non-target separation grows with the probe's net speech, as real short probes do:
  // the true LLR slope at 3 s is far flatter than at 20 s, so one a·s + b is wrong at both ends.
  function trialsAt(seconds: number, count: number, normal: () => number): DurationTrial[] {
    const gap = 0.12 + 0.06 * Math.log(seconds);
    return Array.from({ length: count }, (_, i) => {
      const target = i % 5 === 0;
      return { score: (target ? gap : 0) + 0.08 * normal(), probeSeconds: seconds, target };
    });
  }

  it('fits a slope that grows with net speech and beats a plain calibration on each duration', () => {
    // Prepare
    const normal = gaussian(11);
    const short = trialsAt(3, 5000, normal);
    const long = trialsAt(20, 5000, normal);
    // Act
    const fit = fitDurationCalibration([...short, ...long]);
    const plainFit = fitCalibration({ targets: [...short, ...long].filter((t) => t.target).map((t) => t.score), nontargets: [...short, ...long].filter((t) => !t.target).map((t) => t.score) });
    // Assess: the slope at 20 s is steeper than at 3 s, and each duration's Cllr is lower than the plain fit's
    expect(fit.duration.slope).toBeGreaterThan(0);
    expect(fit.duration.minSeconds).toBe(3);
    expect(fit.duration.maxSeconds).toBe(20);
    const cllrOf = (trials: DurationTrial[], llr: (t: DurationTrial) => number): number =>
      cllr({ targets: trials.filter((t) => t.target).map(llr), nontargets: trials.filter((t) => !t.target).map(llr) });
    for (const trials of [short, long]) {
      expect(cllrOf(trials, (t) => toLlr(t.score, fit, t.probeSeconds))).toBeLessThan(cllrOf(trials, (t) => toLlr(t.score, plainFit)) - 0.005);
    }
  });

  it('uses the reference duration without a probe duration, and clamps net speech to the fitted range', () => {
    const calibration = { a: 20, b: -10, duration: { slope: 5, offset: -2, referenceSeconds: 10, minSeconds: 2, maxSeconds: 30 } };
    expect(toLlr(0.5, calibration)).toBe(0);
    expect(toLlr(0.5, calibration, 10)).toBeCloseTo(0, 12);
    const q = Math.log(3);
    expect(toLlr(0.5, calibration, 30)).toBeCloseTo((20 + 5 * q) * 0.5 - 10 - 2 * q, 10);
    expect(toLlr(0.5, calibration, 300)).toBe(toLlr(0.5, calibration, 30));
    expect(toLlr(0.5, calibration, 0.5)).toBe(toLlr(0.5, calibration, 2));
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
