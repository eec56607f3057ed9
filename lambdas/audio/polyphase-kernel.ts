/**
 * Windowed-sinc polyphase kernels for rational resampling by L/M.
 *
 * Design (one rule for up- and down-sampling): cut-off at half the lower rate, transition band 15 % of
 * the lower rate wide and centred on that cut-off, Kaiser window for 80 dB stop-band attenuation. So
 * everything below 85 % of the lower Nyquist frequency (3.4 kHz at 8 kHz: the telephone band) passes
 * flat and alias-free; images and aliases are at least 80 dB down from 115 % of that Nyquist on, and
 * only the 85–100 % band can alias onto itself.
 */

/** Stop-band attenuation the kernels are designed for, in dB. */
export const STOPBAND_ATTENUATION_DB = 80;
/** Transition-band width as a fraction of the lower of the two sample rates. */
export const TRANSITION_WIDTH_FRACTION = 0.15;

/** Coefficients for every phase of an L/M converter. */
export interface PolyphaseKernel {
  /** Interpolation factor L (output rate / gcd). */
  readonly up: number;
  /** Decimation factor M (input rate / gcd). */
  readonly down: number;
  /** Taps per phase, `2 × halfTaps`, a multiple of 4; tap j of phase p multiplies input sample `floor(t) - halfTaps + 1 + j`. */
  readonly tapsPerPhase: number;
  readonly halfTaps: number;
  /** Row-major (up, tapsPerPhase): the coefficients of phase p start at `p × tapsPerPhase`. */
  readonly coefficients: Float32Array;
  /** For each phase, the tap index whose coefficient is 1 when all others are 0 (a plain copy), else -1. */
  readonly copyTap: Int32Array;
  /** 1 where a phase's taps are symmetric (tap j = tap tapsPerPhase-1-j), so pairs of inputs can share a multiply. */
  readonly symmetric: Uint8Array;
}

const KAISER_BETA = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);
const MAX_CACHED_KERNELS = 8;
const cache = new Map<string, PolyphaseKernel>();

/** Returns the (cached) kernel that converts `inputRateHz` to `outputRateHz`; both whole numbers. */
export function polyphaseKernel(inputRateHz: number, outputRateHz: number): PolyphaseKernel {
  const key = `${inputRateHz}>${outputRateHz}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const kernel = designKernel(inputRateHz, outputRateHz);
  if (cache.size >= MAX_CACHED_KERNELS) cache.delete(cache.keys().next().value!);
  cache.set(key, kernel);
  return kernel;
}

function designKernel(inputRateHz: number, outputRateHz: number): PolyphaseKernel {
  const g = gcd(inputRateHz, outputRateHz);
  const up = outputRateHz / g;
  const down = inputRateHz / g;
  const lowerRateHz = Math.min(inputRateHz, outputRateHz);
  // Cut-off and transition width in cycles per input sample.
  const cutoff = lowerRateHz / 2 / inputRateHz;
  const transition = (TRANSITION_WIDTH_FRACTION * lowerRateHz) / inputRateHz;
  // Kaiser's length estimate: N = (A - 7.95) / (14.36 Δf), Δf in cycles per sample.
  const halfWidth = (STOPBAND_ATTENUATION_DB - 7.95) / (14.36 * transition) / 2;
  // Rounded up to an even count so every phase has a multiple of 4 taps (the inner loop is unrolled by 4).
  const halfTaps = 2 * Math.ceil(halfWidth / 2);
  const tapsPerPhase = 2 * halfTaps;
  const coefficients = new Float32Array(up * tapsPerPhase);
  const copyTap = new Int32Array(up).fill(-1);
  const symmetric = new Uint8Array(up);
  const row = new Float64Array(tapsPerPhase);
  const i0Beta = besselI0(KAISER_BETA);
  for (let phase = 0; phase < up; phase++) {
    const frac = phase / up; // output time minus floor(output time), in input samples
    let sum = 0;
    for (let j = 0; j < tapsPerPhase; j++) {
      const tau = frac - (j - halfTaps + 1); // distance from output time to input sample
      const x = tau / halfWidth;
      const window = Math.abs(x) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / i0Beta;
      row[j] = 2 * cutoff * sinc(2 * cutoff * tau) * window;
      sum += row[j]!;
    }
    // Normalise each phase to unit DC gain so a constant signal stays exactly constant.
    let nonZero = 0;
    let lastNonZero = -1;
    for (let j = 0; j < tapsPerPhase; j++) {
      const c = row[j]! / sum;
      coefficients[phase * tapsPerPhase + j] = c;
      if (Math.abs(c) > 1e-9) {
        nonZero++;
        lastNonZero = j;
      }
    }
    if (nonZero === 1) copyTap[phase] = lastNonZero;
    // Only the mid phase (output exactly half-way between inputs) is symmetric; fold its pairs.
    if (2 * phase === up) {
      const c0 = phase * tapsPerPhase;
      for (let j = 0; j < halfTaps; j++) {
        const mean = (coefficients[c0 + j]! + coefficients[c0 + tapsPerPhase - 1 - j]!) / 2;
        coefficients[c0 + j] = mean;
        coefficients[c0 + tapsPerPhase - 1 - j] = mean;
      }
      symmetric[phase] = 1;
    }
  }
  return { up, down, tapsPerPhase, halfTaps, coefficients, copyTap, symmetric };
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50 && term > sum * 1e-12; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
