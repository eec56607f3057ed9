import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the committed audio fixtures (made by test/fixtures/audio/make-fixtures.sh). */
export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/audio/', import.meta.url));

/** Reads a committed fixture as a fresh Uint8Array (tests may modify their copy). */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURE_DIR + name));
}

/** Signal-to-error ratio of `actual` against `reference` in dB, over the shorter length. */
export function snrDb(reference: Float32Array, actual: Float32Array): number {
  const n = Math.min(reference.length, actual.length);
  let signal = 0;
  let error = 0;
  for (let i = 0; i < n; i++) {
    signal += reference[i]! ** 2;
    error += (reference[i]! - actual[i]!) ** 2;
  }
  return 10 * Math.log10(signal / error);
}

/** Largest absolute sample difference over the shorter length. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Amplitude of the `frequencyHz` component of `x` (single-bin DFT over a whole number of periods). */
export function toneAmplitude(x: Float32Array, sampleRateHz: number, frequencyHz: number): number {
  const periods = Math.floor((x.length * frequencyHz) / sampleRateHz);
  const n = Math.round((periods * sampleRateHz) / frequencyHz);
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const w = (2 * Math.PI * frequencyHz * i) / sampleRateHz;
    re += x[i]! * Math.cos(w);
    im -= x[i]! * Math.sin(w);
  }
  return (2 * Math.hypot(re, im)) / n;
}

/** Root mean square of `x`. */
export function rms(x: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! ** 2;
  return Math.sqrt(sum / Math.max(1, x.length));
}

/** A sine of `frequencyHz` and `amplitude`, `seconds` long. */
export function sine(sampleRateHz: number, frequencyHz: number, amplitude: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(sampleRateHz * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz);
  return x;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
