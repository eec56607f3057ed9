import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFeatureExtractor, subtractMean } from '../../../lambdas/voiceprint/features.js';
import type { KaldiFbankConfig } from '../../../lambdas/voiceprint/types.js';
import { readWavFixture } from './read-wav.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/fbank');

interface GoldenCase {
  name: string;
  wav: string;
  sampleRateHz: number;
  features: KaldiFbankConfig;
  numFrames: number;
  numMelBins: number;
  file: string;
}

const golden = JSON.parse(readFileSync(join(FIXTURES, 'golden.json'), 'utf8')) as { cases: GoldenCase[] };

function readGolden(file: string): Float32Array {
  const bytes = readFileSync(join(FIXTURES, file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('kaldi fbank', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('matches torchaudio within 1e-3 for %s', (_name, c) => {
    // Prepare
    const { sampleRateHz, samples } = readWavFixture(join(FIXTURES, c.wav));
    expect(sampleRateHz).toBe(c.sampleRateHz);
    const expected = readGolden(c.file);

    // Act
    const raw = createFeatureExtractor(c.features, sampleRateHz).compute(samples);
    const frames = c.features.meanNormalisation === 'utterance' ? subtractMean(raw) : raw;

    // Assess
    expect(frames.numFrames).toBe(c.numFrames);
    expect(frames.dim).toBe(c.numMelBins);
    expect(maxAbsDiff(frames.data, expected)).toBeLessThanOrEqual(1e-3);
  });

  it('gives no frames for audio shorter than one frame', () => {
    const extractor = createFeatureExtractor(golden.cases[0]!.features, 16000);
    expect(extractor.compute(new Float32Array(399)).numFrames).toBe(0);
    expect(extractor.compute(new Float32Array(400)).numFrames).toBe(1);
    expect(extractor.numFramesFor(16000)).toBe(98);
  });

  it('puts the log floor under digital silence instead of -Infinity', () => {
    const frames = createFeatureExtractor(golden.cases[0]!.features, 16000).compute(new Float32Array(800));
    expect(frames.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(frames.data[0]).toBeCloseTo(Math.log(1.1920928955078125e-7), 5);
  });

  it('refuses dither and snipEdges=false, which inference cannot honour', () => {
    const base = golden.cases[0]!.features;
    expect(() => createFeatureExtractor({ ...base, dither: 1 }, 16000)).toThrow(/dither/);
    expect(() => createFeatureExtractor({ ...base, snipEdges: false }, 16000)).toThrow(/snipEdges/);
    expect(() => createFeatureExtractor({ ...base, lowFreqHz: 5000 }, 8000)).toThrow(/does not fit/);
  });
});

describe('subtractMean', () => {
  it('leaves every bin with zero mean over the chosen frames', () => {
    const data = Float32Array.from([1, 10, 3, 20, 5, 60]);
    const out = subtractMean({ numFrames: 3, dim: 2, data }, 1, 2);
    expect(Array.from(out.data)).toEqual([-1, -20, 1, 20]);
  });

  it('refuses a range outside the frames', () => {
    expect(() => subtractMean({ numFrames: 2, dim: 1, data: new Float32Array(2) }, 1, 2)).toThrow(/outside/);
  });
});
