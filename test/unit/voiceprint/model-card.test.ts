import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelCardError, loadModelCard, parseModelCard } from '../../../lambdas/voiceprint/index.js';

const MODELS = join(import.meta.dirname, '../../fixtures/models');
const CARD_PATH = join(MODELS, 'tiny-spk.json');
const tinyCard = (): Record<string, any> => JSON.parse(readFileSync(CARD_PATH, 'utf8'));

/** Parses `card` as if it were the tiny card file, returning the ModelCardError it throws. */
function errorOf(card: unknown): ModelCardError {
  try {
    parseModelCard(card, CARD_PATH);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCardError);
    return error as ModelCardError;
  }
  throw new Error('expected the card to be refused');
}

describe('loadModelCard', () => {
  it('reads the tiny card with its documented defaults filled in', () => {
    const card = loadModelCard(CARD_PATH);
    expect(card.id).toBe('tiny-spk-test');
    expect(card.onnxPath).toBe(join(MODELS, 'tiny-spk.onnx'));
    expect(card.features.window).toBe('hamming');
    expect(card.io.embeddingDim).toBe(16);
    expect(card.scoring.calibration).toEqual({ kind: 'logistic', a: 10, b: -5, fittedOn: 'not fitted: test model' });
    expect(card.extra['licence']).toMatch(/Apache/);
  });

  it('fills optional front-end keys with Kaldi defaults when absent', () => {
    const raw = tinyCard();
    for (const key of ['frameLengthMs', 'frameShiftMs', 'dither', 'preemphasisCoefficient', 'lowFreqHz', 'highFreqHz', 'usePower']) delete raw.features[key];
    delete raw.windowing;
    delete raw.scoring;
    const card = parseModelCard(raw, CARD_PATH);
    expect(card.features).toMatchObject({ frameLengthMs: 25, frameShiftMs: 10, dither: 0, preemphasisCoefficient: 0.97, lowFreqHz: 20, highFreqHz: 0, usePower: true });
    expect(card.windowing).toEqual({ windowSeconds: 3, hopSeconds: 1.5, minSeconds: 0.5, pooling: 'mean' });
    expect(card.scoring).toEqual({ meanVector: null, cohort: null, asNormTopN: 100, calibration: { kind: 'logistic', a: 1, b: 0 }, watchlistCalibration: null });
  });

  it('reads an optional watchlist calibration and refuses a non-positive slope or an unknown key in it', () => {
    const raw = tinyCard();
    raw.scoring.watchlistCalibration = { a: 0.65, b: 0.13, fittedOn: 'test' };
    expect(parseModelCard(raw, CARD_PATH).scoring.watchlistCalibration).toEqual({ a: 0.65, b: 0.13, fittedOn: 'test' });
    raw.scoring.watchlistCalibration = { a: 0, b: 0 };
    expect(errorOf(raw).message).toContain('scoring.watchlistCalibration.a');
    raw.scoring.watchlistCalibration = { a: 1, b: 0, slope: 2 };
    expect(errorOf(raw).message).toContain('slope');
    raw.scoring.watchlistCalibration = { b: 0 };
    expect(errorOf(raw).message).toContain('scoring.watchlistCalibration.a');
  });

  it('reads an optional duration section of the calibration and refuses a clamp that is not positive and ordered', () => {
    const raw = tinyCard();
    const duration = { slope: 4, offset: -3, referenceSeconds: 10, minSeconds: 2, maxSeconds: 30 };
    raw.scoring.calibration = { kind: 'logistic', a: 20, b: -10, duration };
    expect(parseModelCard(raw, CARD_PATH).scoring.calibration).toEqual({ kind: 'logistic', a: 20, b: -10, duration });
    raw.scoring.calibration.duration = { ...duration, maxSeconds: 1 };
    expect(errorOf(raw).message).toContain('scoring.calibration.duration.maxSeconds');
    raw.scoring.calibration.duration = { ...duration, minSeconds: 0 };
    expect(errorOf(raw).message).toContain('scoring.calibration.duration.minSeconds');
    raw.scoring.calibration.duration = { ...duration, band: 8000 };
    expect(errorOf(raw).message).toContain('band');
  });

  it('reads the shipped card with its fitted watchlist calibration', () => {
    const card = loadModelCard(join(import.meta.dirname, '../../../models/timbre-default.json'));
    expect(card.scoring.watchlistCalibration?.a).toBeGreaterThan(0);
    expect(card.scoring.watchlistCalibration?.fittedOn).toMatch(/calibration half/);
  });

  it('loads and L2-normalises the cohort a card names', () => {
    const raw = tinyCard();
    raw.scoring.cohort = 'tiny-spk.cohort.json';
    const card = parseModelCard(raw, CARD_PATH);
    expect(card.scoring.cohort).toHaveLength(40);
    const norm = Math.hypot(...card.scoring.cohort![0]!);
    expect(norm).toBeCloseTo(1, 5);
  });

  it('says when the file is missing or not JSON', () => {
    expect(() => loadModelCard(join(MODELS, 'no-such-card.json'))).toThrow(/cannot be read/);
    const dir = mkdtempSync(join(tmpdir(), 'timbre-card-'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadModelCard(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
  });
});

describe('parseModelCard', () => {
  it('refuses another format version, naming the one it reads', () => {
    const raw = tinyCard();
    raw.format = 'timbre-model-card/2';
    expect(errorOf(raw).message).toMatch(/format is "timbre-model-card\/2"; this Timbre reads "timbre-model-card\/1"/);
  });

  it('names a missing required key', () => {
    const raw = tinyCard();
    delete raw.features.window;
    const error = errorOf(raw);
    expect(error.key).toBe('features.window');
    expect(error.message).toMatch(/features\.window is required: one of "hamming", "povey"/);
  });

  it('names an unknown value and the values it accepts', () => {
    const raw = tinyCard();
    raw.features.window = 'blackman';
    expect(errorOf(raw).message).toMatch(/features\.window is "blackman"; use one of "hamming", "povey", "hanning", "rectangular"/);
  });

  it('refuses a misspelt front-end key instead of ignoring it', () => {
    const raw = tinyCard();
    raw.features.windowType = 'povey';
    expect(errorOf(raw).message).toMatch(/features\.windowType is not a known key/);
  });

  it('refuses dither, which inference must not apply, and says what to set', () => {
    const raw = tinyCard();
    raw.features.dither = 1;
    expect(errorOf(raw).message).toMatch(/set "dither": 0/);
  });

  it('refuses a malformed sha256 and out-of-range numbers', () => {
    expect(errorOf({ ...tinyCard(), sha256: 'abc' }).message).toMatch(/sha256 must be 64 hex digits/);
    expect(errorOf({ ...tinyCard(), sampleRateHz: 44.1 }).message).toMatch(/sampleRateHz must be a whole number/);
    const raw = tinyCard();
    raw.windowing.hopSeconds = 5;
    expect(errorOf(raw).message).toMatch(/hopSeconds \(5\) must not exceed windowSeconds/);
  });

  it('refuses a cohort whose vectors do not match io.embeddingDim', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbre-card-'));
    writeFileSync(join(dir, 'cohort.json'), JSON.stringify([[1, 2, 3]]));
    const raw = tinyCard();
    raw.scoring.cohort = 'cohort.json';
    try {
      parseModelCard(raw, join(dir, 'card.json'));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/scoring\.cohort file .* must hold an array of arrays of 16 numbers/);
    }
  });
});
