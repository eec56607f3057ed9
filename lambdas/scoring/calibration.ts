import { CalibrationFitError, InvalidScoresError } from './errors.js';
import type { Calibration, TrialScores } from './types.js';

/** What fitCalibration found, beside the coefficients. */
export interface CalibrationFit extends Calibration {
  /** Newton iterations used. */
  readonly iterations: number;
  /** The minimised prior-weighted cross-entropy, in bits (Cllr of the calibrated scores at that prior). */
  readonly cllrBits: number;
  /** True when every target outscores every non-target: the slope is then held only by the tiny ridge. */
  readonly separable: boolean;
}

/** Options of fitCalibration. */
export interface CalibrationFitOptions {
  /** The target prior the two classes are weighted to. @default 0.5 (both classes count equally) */
  readonly priorTarget?: number;
  /** L2 penalty on the slope, so perfectly separated trials still give a finite fit. @default 1e-9 */
  readonly ridge?: number;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Fits `llr = a · score + b` by logistic regression, solved with Newton's method (IRLS) with step halving.
 * The objective is the prior-weighted cross-entropy of BOSARIS/Cllr: targets carry total weight π and
 * non-targets 1 − π whatever their counts, so a trial list with 20 non-targets per target still gives an LLR
 * that means the same thing; with π = 0.5 (the default) `a · s + b` is the log-likelihood ratio, and
 * sigmoid(llr) the posterior at equal priors. The logit(π) offset is added inside the fit and not returned.
 * @throws InvalidScoresError on empty or non-finite input; CalibrationFitError if Newton fails to converge
 * @example const { a, b } = fitCalibration({ targets: [0.8, 0.7], nontargets: [0.1, 0.3, 0.2] });
 */
export function fitCalibration(trials: TrialScores, options: CalibrationFitOptions = {}): CalibrationFit {
  const { targets, nontargets } = trials;
  const prior = options.priorTarget ?? 0.5;
  const ridge = options.ridge ?? 1e-9;
  if (targets.length === 0 || nontargets.length === 0) {
    throw new InvalidScoresError(`calibration needs target and non-target trials (got ${targets.length} and ${nontargets.length})`);
  }
  if (![...targets, ...nontargets].every(Number.isFinite)) throw new InvalidScoresError('calibration scores must all be finite');
  if (!(prior > 0 && prior < 1)) throw new InvalidScoresError(`priorTarget must be in (0, 1), not ${prior}`);
  const offset = Math.log(prior / (1 - prior));
  const wt = prior / targets.length;
  const wn = (1 - prior) / nontargets.length;

  const objective = (a: number, b: number): number => {
    let sum = 0.5 * ridge * a * a;
    for (const s of targets) sum += wt * softplus(-(a * s + b + offset));
    for (const s of nontargets) sum += wn * softplus(a * s + b + offset);
    return sum;
  };

  // Start from the moment estimate of equal-variance Gaussians: close, so Newton converges in a few steps.
  const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  const mt = mean(targets);
  const mn = mean(nontargets);
  const pooled = (targets.reduce((s, v) => s + (v - mt) ** 2, 0) + nontargets.reduce((s, v) => s + (v - mn) ** 2, 0)) / (targets.length + nontargets.length);
  let a = pooled > 0 ? (mt - mn) / pooled : 1;
  let b = -a * (mt + mn) / 2;
  if (!Number.isFinite(a) || !Number.isFinite(b)) [a, b] = [1, 0];
  let current = objective(a, b);

  for (let iteration = 1; iteration <= 100; iteration++) {
    let ga = ridge * a;
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = 0;
    const accumulate = (s: number, weight: number, label: 0 | 1): void => {
      const p = sigmoid(a * s + b + offset);
      const r = weight * (p - label);
      const h = weight * p * (1 - p);
      ga += r * s;
      gb += r;
      haa += h * s * s;
      hab += h * s;
      hbb += h;
    };
    for (const s of targets) accumulate(s, wt, 1);
    for (const s of nontargets) accumulate(s, wn, 0);
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break; // flat objective: nothing left to learn
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = objective(a - da, b - db);
    while (next > current && step > 1e-8) {
      step /= 2;
      next = objective(a - step * da, b - step * db);
    }
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const improvement = current - next;
    current = next;
    if (Math.abs(da) < 1e-10 * (1 + Math.abs(a)) && Math.abs(db) < 1e-10 * (1 + Math.abs(b))) {
      return finish(a, b, iteration, current);
    }
    if (improvement >= 0 && improvement < 1e-15) return finish(a, b, iteration, current);
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new CalibrationFitError('calibration diverged');
  return finish(a, b, 100, current);

  function finish(fa: number, fb: number, iterations: number, value: number): CalibrationFit {
    if (!Number.isFinite(fa) || !Number.isFinite(fb)) throw new CalibrationFitError('calibration diverged');
    const separable = targets.reduce((m, v) => Math.min(m, v), Infinity) > nontargets.reduce((m, v) => Math.max(m, v), -Infinity);
    return { a: fa, b: fb, iterations, cllrBits: (value - 0.5 * ridge * fa * fa) / Math.LN2, separable };
  }
}

/** The calibrated log-likelihood ratio of a raw (or AS-norm) score. */
export function toLlr(score: number, calibration: Calibration): number {
  return calibration.a * score + calibration.b;
}

/** `round(100 · sigmoid(llr))`: Voice ID's 0–100 score, the posterior at a prior of 0.5. */
export function toScore100(llr: number): number {
  return Math.round(100 * sigmoid(llr));
}
