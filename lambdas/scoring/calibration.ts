import { CalibrationFitError, InvalidScoresError } from './errors.js';
import type { Calibration, DurationTerms, TrialScores } from './types.js';

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

/** One trial for fitLogisticLlr: its features (without the constant), its class and its weight. */
export interface WeightedTrial {
  readonly features: readonly number[];
  readonly target: boolean;
  /** @default 1 */
  readonly weight?: number;
}

/** What fitLogisticLlr found: `llr = Σ coefficients[k] · features[k] + intercept`. */
export interface LogisticLlrFit {
  readonly coefficients: readonly number[];
  readonly intercept: number;
  readonly iterations: number;
  /** The minimised prior-weighted cross-entropy, in bits. */
  readonly cllrBits: number;
}

/**
 * Fits `llr = w · x + c` by weighted logistic regression, solved with Newton's method (IRLS) with step halving.
 * The objective is the prior-weighted cross-entropy of BOSARIS/Cllr: the targets' weights are scaled to sum to π and
 * the non-targets' to 1 − π, so a list with 20 non-targets per target still gives an LLR that means the same thing,
 * and within a class a trial weighs as its `weight` says (e.g. each calibration set equally). The logit(π) offset is
 * added inside the fit and not returned. `start` (with the intercept last) speeds up convergence.
 * @throws InvalidScoresError on an empty class, non-finite input or features of different lengths; CalibrationFitError if Newton diverges
 */
export function fitLogisticLlr(trials: readonly WeightedTrial[], options: CalibrationFitOptions & { start?: readonly number[] } = {}): LogisticLlrFit {
  const prior = options.priorTarget ?? 0.5;
  const ridge = options.ridge ?? 1e-9;
  const dims = trials[0]?.features.length ?? 0;
  const totals = [0, 0];
  for (const t of trials) {
    const w = t.weight ?? 1;
    if (t.features.length !== dims) throw new InvalidScoresError(`every trial needs ${dims} features (one has ${t.features.length})`);
    if (![...t.features, w].every(Number.isFinite) || w < 0) throw new InvalidScoresError('calibration scores and weights must all be finite (weights ≥ 0)');
    totals[t.target ? 1 : 0] += w;
  }
  if (!(totals[0]! > 0 && totals[1]! > 0)) throw new InvalidScoresError('calibration needs target and non-target trials');
  if (!(prior > 0 && prior < 1)) throw new InvalidScoresError(`priorTarget must be in (0, 1), not ${prior}`);
  const offset = Math.log(prior / (1 - prior));
  const n = dims + 1; // θ = [w..., c]
  const rows = trials.map((t) => ({ x: [...t.features, 1], y: t.target ? 1 : 0, w: ((t.weight ?? 1) * (t.target ? prior : 1 - prior)) / totals[t.target ? 1 : 0]! }));
  // The ridge holds the slopes only, never the intercept.
  const penalty = (theta: readonly number[]): number => 0.5 * ridge * dot(theta.slice(0, dims), theta.slice(0, dims));
  const objective = (theta: readonly number[]): number => {
    let sum = penalty(theta);
    for (const r of rows) {
      const z = dot(theta, r.x) + offset;
      sum += r.w * softplus(r.y === 1 ? -z : z);
    }
    return sum;
  };
  let theta = options.start !== undefined && options.start.length === n ? [...options.start] : new Array<number>(n).fill(0);
  let current = objective(theta);
  for (let iteration = 1; iteration <= 100; iteration++) {
    const grad = new Array<number>(n).fill(0);
    const hess = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let k = 0; k < dims; k++) {
      grad[k] = ridge * theta[k]!;
      hess[k]![k] = ridge;
    }
    for (const r of rows) {
      const p = sigmoid(dot(theta, r.x) + offset);
      const g = r.w * (p - r.y);
      const h = r.w * p * (1 - p);
      for (let i = 0; i < n; i++) {
        grad[i]! += g * r.x[i]!;
        for (let j = 0; j <= i; j++) hess[i]![j]! += h * r.x[i]! * r.x[j]!;
      }
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) hess[i]![j] = hess[j]![i]!;
    const delta = solve(hess, grad);
    if (delta === undefined) break; // flat objective: nothing left to learn
    let step = 1;
    let next = objective(theta.map((v, i) => v - delta[i]!));
    while (next > current && step > 1e-8) {
      step /= 2;
      next = objective(theta.map((v, i) => v - step * delta[i]!));
    }
    theta = theta.map((v, i) => v - step * delta[i]!);
    const improvement = current - next;
    current = next;
    const small = delta.every((d, i) => Math.abs(step * d) < 1e-10 * (1 + Math.abs(theta[i]!)));
    if (small || (improvement >= 0 && improvement < 1e-15)) return finish(iteration);
  }
  return finish(100);

  function finish(iterations: number): LogisticLlrFit {
    if (!theta.every(Number.isFinite)) throw new CalibrationFitError('calibration diverged');
    return { coefficients: theta.slice(0, dims), intercept: theta[dims]!, iterations, cllrBits: (current - penalty(theta)) / Math.LN2 };
  }
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Solves H·x = g by Gaussian elimination with partial pivoting; undefined when H is singular. */
function solve(h: readonly (readonly number[])[], g: readonly number[]): number[] | undefined {
  const n = g.length;
  const m = h.map((row, i) => [...row, g[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-300)) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = m[r]![n]!;
    for (let c = r + 1; c < n; c++) sum -= m[r]![c]! * x[c]!;
    x[r] = sum / m[r]![r]!;
  }
  return x.every(Number.isFinite) ? x : undefined;
}

/**
 * Fits `llr = a · score + b` (fitLogisticLlr on the score alone), starting from the moment estimate of
 * equal-variance Gaussians so Newton converges in a few steps. With π = 0.5 (the default) `a · s + b` is the
 * log-likelihood ratio, and sigmoid(llr) the posterior at equal priors.
 * @throws InvalidScoresError on empty or non-finite input; CalibrationFitError if Newton fails to converge
 * @example const { a, b } = fitCalibration({ targets: [0.8, 0.7], nontargets: [0.1, 0.3, 0.2] });
 */
export function fitCalibration(trials: TrialScores, options: CalibrationFitOptions = {}): CalibrationFit {
  const { targets, nontargets } = trials;
  if (targets.length === 0 || nontargets.length === 0) {
    throw new InvalidScoresError(`calibration needs target and non-target trials (got ${targets.length} and ${nontargets.length})`);
  }
  if (![...targets, ...nontargets].every(Number.isFinite)) throw new InvalidScoresError('calibration scores must all be finite');
  const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  const mt = mean(targets);
  const mn = mean(nontargets);
  const pooled = (targets.reduce((s, v) => s + (v - mt) ** 2, 0) + nontargets.reduce((s, v) => s + (v - mn) ** 2, 0)) / (targets.length + nontargets.length);
  let a = pooled > 0 ? (mt - mn) / pooled : 1;
  let b = -a * (mt + mn) / 2;
  if (!Number.isFinite(a) || !Number.isFinite(b)) [a, b] = [1, 0];
  const fit = fitLogisticLlr(
    [...targets.map((s) => ({ features: [s], target: true })), ...nontargets.map((s) => ({ features: [s], target: false }))],
    { ...options, start: [a, b] },
  );
  return { a: fit.coefficients[0]!, b: fit.intercept, iterations: fit.iterations, cllrBits: fit.cllrBits, separable: scoresSeparable(trials) };
}

/** True when every target outscores every non-target: a calibration's slope is then held only by the ridge. */
export function scoresSeparable({ targets, nontargets }: TrialScores): boolean {
  return targets.reduce((m, v) => Math.min(m, v), Infinity) > nontargets.reduce((m, v) => Math.max(m, v), -Infinity);
}

/** The duration quality measure q of a probe with `seconds` of net speech (0 at the reference duration). */
export function durationQuality(seconds: number, terms: DurationTerms): number {
  return Math.log(Math.min(terms.maxSeconds, Math.max(terms.minSeconds, seconds)) / terms.referenceSeconds);
}

/**
 * The calibrated log-likelihood ratio of a raw (or AS-norm) score. A duration-aware calibration uses the probe's
 * net speech; without it (`probeSeconds` undefined) the probe counts as the reference duration.
 */
export function toLlr(score: number, calibration: Calibration, probeSeconds?: number): number {
  const { duration } = calibration;
  if (duration === undefined || probeSeconds === undefined) return calibration.a * score + calibration.b;
  const q = durationQuality(probeSeconds, duration);
  return (calibration.a + duration.slope * q) * score + calibration.b + duration.offset * q;
}

/** Options of fitDurationCalibration. */
export interface DurationFitOptions extends CalibrationFitOptions {
  /** Where q = 0, so `a` and `b` are the plain calibration there. @default 10 */
  readonly referenceSeconds?: number;
  /** The clamp of the probe's net speech. @default the 1st and 99th percentiles of the trials' durations */
  readonly minSeconds?: number;
  readonly maxSeconds?: number;
}

/** A calibration trial with the probe's net speech and a weight within its class (e.g. each trial list equally). */
export interface DurationTrial {
  readonly score: number;
  readonly probeSeconds: number;
  readonly target: boolean;
  readonly weight?: number;
}

/**
 * Fits the duration-aware calibration `llr = (a + slope·q)·s + b + offset·q` (q = ln of the clamped probe net speech
 * over the reference) by weighted logistic regression on the features s, q and s·q: short probes get the flatter,
 * more cautious slope their wider score spread needs.
 * @throws InvalidScoresError on an empty class or non-finite input; CalibrationFitError if Newton diverges
 */
export function fitDurationCalibration(trials: readonly DurationTrial[], options: DurationFitOptions = {}): Calibration & { readonly duration: DurationTerms; readonly cllrBits: number } {
  const seconds = trials.map((t) => t.probeSeconds).filter(Number.isFinite).sort((x, y) => x - y);
  if (seconds.length === 0) throw new InvalidScoresError('calibration needs target and non-target trials');
  const quantile = (p: number): number => seconds[Math.min(seconds.length - 1, Math.floor(p * seconds.length))]!;
  const referenceSeconds = options.referenceSeconds ?? 10;
  const minSeconds = options.minSeconds ?? quantile(0.01);
  const maxSeconds = options.maxSeconds ?? quantile(0.99);
  if (!(referenceSeconds > 0 && minSeconds > 0 && maxSeconds >= minSeconds)) {
    throw new InvalidScoresError(`the duration clamp must be positive and ordered (got ${minSeconds}–${maxSeconds} s, reference ${referenceSeconds} s)`);
  }
  const terms = { slope: 0, offset: 0, referenceSeconds, minSeconds, maxSeconds };
  const fit = fitLogisticLlr(
    trials.map((t) => {
      const q = durationQuality(t.probeSeconds, terms);
      return { features: [t.score, q, t.score * q], target: t.target, ...(t.weight !== undefined && { weight: t.weight }) };
    }),
    options,
  );
  const [a, offset, slope] = fit.coefficients as [number, number, number];
  return { a, b: fit.intercept, duration: { ...terms, slope, offset }, cllrBits: fit.cllrBits };
}

/** `round(100 · sigmoid(llr))`: Voice ID's 0–100 score, the posterior at a prior of 0.5. */
export function toScore100(llr: number): number {
  return Math.round(100 * sigmoid(llr));
}
