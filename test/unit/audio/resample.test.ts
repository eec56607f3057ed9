import { describe, expect, it } from 'vitest';
import { UnsupportedSampleRateError, decodeAudio, resample } from '../../../lambdas/audio/index.js';
import { fixture, rms, sine, snrDb, toneAmplitude } from './audio-fixtures.js';

const RATES = [8000, 16000, 22050, 44100, 48000];
const PAIRS = RATES.flatMap((from) => RATES.filter((to) => to !== from).map((to) => [from, to] as const));

/** The middle of a signal, away from the edges where the filter sees the silence beyond the ends. */
function middle(x: Float32Array, sampleRateHz: number): Float32Array {
  return x.subarray(Math.round(0.1 * sampleRateHz), x.length - Math.round(0.1 * sampleRateHz));
}

/** Frequency from the count of upward zero crossings, in Hz. */
function zeroCrossingFrequencyHz(x: Float32Array, sampleRateHz: number): number {
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i - 1]! < 0 && x[i]! >= 0) {
      if (first < 0) first = i;
      else crossings++;
      last = i;
    }
  }
  return (crossings * sampleRateHz) / (last - first);
}

describe('resample', () => {
  it.each(PAIRS)('keeps a 1 kHz sine at 1 kHz and its amplitude from %i to %i Hz', (from, to) => {
    // Prepare
    const input = { sampleRateHz: from, samples: sine(from, 1000, 0.5, 1) };
    // Act
    const output = resample(input, to);
    // Assess
    expect(output.sampleRateHz).toBe(to);
    expect(output.samples.length).toBe(Math.ceil((input.samples.length * to) / from));
    const inner = middle(output.samples, to);
    expect(zeroCrossingFrequencyHz(inner, to)).toBeCloseTo(1000, 0);
    expect(toneAmplitude(inner, to, 1000)).toBeCloseTo(0.5, 3);
    // Nothing but the tone: the residual after removing a 0.5-amplitude 1 kHz sine is tiny.
    expect(rms(inner) ** 2 - 0.125).toBeLessThan(1e-4);
  });

  it('places output sample n at time n / rate (no delay)', () => {
    const input = { sampleRateHz: 8000, samples: sine(8000, 440, 0.5, 0.5) };
    const output = resample(input, 16000);
    for (let n = 2000; n < 2010; n++) {
      expect(output.samples[n]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * n) / 16000), 3);
    }
  });

  it('removes a 6 kHz tone going from 48 kHz to 8 kHz (it would alias to 2 kHz)', () => {
    const output = resample({ sampleRateHz: 48000, samples: sine(48000, 6000, 0.5, 1) }, 8000);
    const inner = middle(output.samples, 8000);
    expect(rms(inner)).toBeLessThan(0.5 * 1e-3); // more than 60 dB down
    expect(toneAmplitude(inner, 8000, 2000)).toBeLessThan(1e-4);
  });

  it('removes images above 4 kHz when going from 8 kHz to 16 kHz', () => {
    const output = resample({ sampleRateHz: 8000, samples: sine(8000, 3000, 0.5, 1) }, 16000);
    const inner = middle(output.samples, 16000);
    expect(toneAmplitude(inner, 16000, 3000)).toBeCloseTo(0.5, 3);
    expect(toneAmplitude(inner, 16000, 5000)).toBeLessThan(1e-4); // 3 kHz mirrored about 4 kHz
  });

  it.each([
    [48000, 8000],
    [44100, 16000],
    [16000, 8000],
  ])('is flat to 0.85 × the new Nyquist frequency and 80 dB down from 1.15 × it (%i → %i Hz)', (from, to) => {
    const gainDb = (fraction: number): number => {
      const output = resample({ sampleRateHz: from, samples: sine(from, (fraction * to) / 2, 1, 1) }, to);
      return 20 * Math.log10(rms(middle(output.samples, to)) * Math.SQRT2);
    };
    expect(Math.abs(gainDb(0.5))).toBeLessThan(0.01);
    expect(Math.abs(gainDb(0.85))).toBeLessThan(0.05);
    expect(gainDb(1.15)).toBeLessThan(-78);
    expect(gainDb(1.5)).toBeLessThan(-78);
  });

  it('keeps images of the telephone band 80 dB down going from 8 kHz to 16 kHz', () => {
    // A 3.4 kHz tone's image lands at 4.6 kHz: 115 % of the input Nyquist frequency.
    const output = middle(resample({ sampleRateHz: 8000, samples: sine(8000, 3400, 1, 1) }, 16000).samples, 16000);
    expect(toneAmplitude(output, 16000, 3400)).toBeCloseTo(1, 3);
    expect(20 * Math.log10(toneAmplitude(output, 16000, 4600))).toBeLessThan(-78);
  });

  it('keeps a constant signal constant', () => {
    const output = resample({ sampleRateHz: 44100, samples: new Float32Array(44100).fill(0.25) }, 16000);
    for (const v of middle(output.samples, 16000)) expect(v).toBeCloseTo(0.25, 6);
  });

  it('matches sox\'s own 8 → 16 kHz conversion of speech in the telephone band', async () => {
    const speech8k = await decodeAudio(fixture('speech-8k-s16.wav'));
    const sox16k = await decodeAudio(fixture('speech-16k-s16.wav'));
    const ours = resample(speech8k, 16000);
    expect(ours.samples.length).toBe(sox16k.samples.length);
    expect(snrDb(sox16k.samples, ours.samples)).toBeGreaterThan(25);
  });

  it('returns the input itself when the rates match, and an empty signal for empty input', () => {
    const pcm = { sampleRateHz: 8000, samples: sine(8000, 100, 0.1, 0.1) };
    expect(resample(pcm, 8000)).toBe(pcm);
    expect(resample({ sampleRateHz: 8000, samples: new Float32Array(0) }, 16000).samples.length).toBe(0);
  });

  it.each([
    [8000, 96000],
    [4000, 16000],
    [8000, 16000.5],
  ])('refuses to resample from %d to %d Hz', (from, to) => {
    expect(() => resample({ sampleRateHz: from, samples: new Float32Array(10) }, to)).toThrow(UnsupportedSampleRateError);
  });

  it('resamples long audio whole (3 minutes: 1.44 M samples, where libsamplerate-js returned a fragment)', () => {
    const input = { sampleRateHz: 8000, samples: sine(8000, 1000, 0.5, 180) };
    const output = resample(input, 16000);
    expect(output.samples.length).toBe(2 * input.samples.length);
    const lastSecond = output.samples.subarray(output.samples.length - 2 * 16000, output.samples.length - 16000);
    expect(toneAmplitude(lastSecond, 16000, 1000)).toBeCloseTo(0.5, 3);
  });

  it('converts between rates with no small common factor (8001 → 16000 Hz)', () => {
    const output = resample({ sampleRateHz: 8001, samples: sine(8001, 1000, 0.5, 1) }, 16000);
    expect(toneAmplitude(middle(output.samples, 16000), 16000, 1000)).toBeCloseTo(0.5, 3);
  });
});
