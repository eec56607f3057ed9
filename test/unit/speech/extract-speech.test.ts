import { describe, expect, it } from 'vitest';
import { InvalidSpeechOptionError, extractSpeech } from '../../../lambdas/speech/index.js';

const pcm = { sampleRateHz: 10, samples: Float32Array.from({ length: 100 }, (_, i) => i) };

describe('extractSpeech', () => {
  it('concatenates the samples inside the segments, in time order', () => {
    const out = extractSpeech(pcm, [
      { startSeconds: 5, endSeconds: 5.3 },
      { startSeconds: 1, endSeconds: 1.2 },
    ]);
    expect(out.sampleRateHz).toBe(10);
    expect([...out.samples]).toEqual([10, 11, 50, 51, 52]);
  });

  it('takes overlapping segments once and clamps them to the audio', () => {
    const out = extractSpeech(pcm, [
      { startSeconds: 9.5, endSeconds: 12 },
      { startSeconds: 9, endSeconds: 9.7 },
      { startSeconds: -1, endSeconds: 0.2 },
    ]);
    expect([...out.samples]).toEqual([0, 1, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  });

  it('returns empty audio for no segments', () => {
    expect(extractSpeech(pcm, []).samples.length).toBe(0);
  });

  it('refuses a segment that ends before it starts', () => {
    expect(() => extractSpeech(pcm, [{ startSeconds: 2, endSeconds: 1 }])).toThrow(InvalidSpeechOptionError);
  });
});
