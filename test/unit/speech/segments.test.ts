import { describe, expect, it } from 'vitest';
import { InvalidSpeechOptionError, resolveSpeechOptions, speechSpans } from '../../../lambdas/speech/index.js';

// 8 kHz, 256-sample windows (32 ms): 250 ms is 2000 samples, 100 ms is 800, 30 ms pad is 240.
const WINDOW = 256;
const RATE = 8000;
const defaults = resolveSpeechOptions();

/** Probabilities from a compact pattern: one character per window, '#' = 0.9, '+' = 0.4 (between thresholds), '.' = 0.1. */
function probs(pattern: string): Float32Array {
  return Float32Array.from(pattern, (c) => (c === '#' ? 0.9 : c === '+' ? 0.4 : 0.1));
}

function spans(pattern: string, options = defaults) {
  return speechSpans(probs(pattern), WINDOW, RATE, pattern.length * WINDOW, options);
}

describe('speechSpans', () => {
  it('finds one padded span for one run of speech windows', () => {
    const result = spans('.....##########..........');
    expect(result).toEqual([{ startSample: 5 * WINDOW - 240, endSample: 15 * WINDOW + 240 }]);
  });

  it('keeps speech going through probabilities between the two thresholds (hysteresis)', () => {
    const result = spans('..#####++++++++#####.......');
    expect(result).toHaveLength(1);
    expect(result[0]!.endSample).toBe(20 * WINDOW + 240);
  });

  it('bridges pauses shorter than minSilenceMs and splits at longer ones', () => {
    expect(spans('..##########..##########........')).toHaveLength(1); // 2 windows = 64 ms < 100 ms
    expect(spans('..##########.....##########........')).toHaveLength(2); // 5 windows = 160 ms
  });

  it('drops speech shorter than minSpeechMs', () => {
    expect(spans('.....#######..........')).toEqual([]); // 7 windows = 224 ms
    expect(spans('.....#########..........')).toHaveLength(1); // 9 windows = 288 ms
  });

  it('splits a gap narrower than two pads between the neighbours, so spans never overlap', () => {
    const options = resolveSpeechOptions({ speechPadMs: 100, minSilenceMs: 50 });
    const result = spans('..##########....##########.....', options);
    expect(result).toHaveLength(2);
    expect(result[0]!.endSample).toBe(result[1]!.startSample);
    expect(result[0]!.endSample).toBe(14 * WINDOW);
  });

  it('ends speech that runs to the end of the audio at the last sample', () => {
    const result = speechSpans(probs('....##########'), WINDOW, RATE, 14 * WINDOW - 100, defaults);
    expect(result).toEqual([{ startSample: 4 * WINDOW - 240, endSample: 14 * WINDOW - 100 }]);
  });

  it('finds nothing in silence', () => {
    expect(spans('.'.repeat(100))).toEqual([]);
  });

  it.each([
    [{ threshold: 0 }, /threshold must be in \(0, 1\]/],
    [{ threshold: 0.5, negThreshold: 0.6 }, /negThreshold must be in \(0, threshold\]/],
    [{ minSpeechMs: -1 }, /minSpeechMs must be a non-negative number/],
    [{ speechPadMs: Number.NaN }, /speechPadMs must be a non-negative number/],
  ])('refuses the option %o', (options, message) => {
    expect(() => resolveSpeechOptions(options)).toThrow(InvalidSpeechOptionError);
    expect(() => resolveSpeechOptions(options)).toThrow(message);
  });

  it('uses Silero\'s defaults', () => {
    expect(defaults).toEqual({ threshold: 0.5, negThreshold: 0.35, minSpeechMs: 250, minSilenceMs: 100, speechPadMs: 30 });
  });
});
