import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AudioError, TruncatedAudioError, decodeAudio } from '../../../lambdas/audio/index.js';
import type { Pcm } from '../../../lambdas/audio/index.js';
import { FIXTURE_DIR, fixture, seededRandom } from './audio-fixtures.js';

const FILES = readdirSync(FIXTURE_DIR).filter((name) => /\.(wav|flac|ogg)$/.test(name) && !name.includes('silences'));

/** Decodes and reports the outcome; anything thrown that is not an AudioError fails the test. */
async function outcome(bytes: Uint8Array, raw = false): Promise<Pcm | AudioError> {
  try {
    const pcm = await decodeAudio(bytes, raw ? { rawPcmSampleRateHz: 8000 } : undefined);
    return pcm;
  } catch (error) {
    if (error instanceof AudioError) return error;
    throw new Error(`decodeAudio crashed instead of refusing: ${String(error)}`, { cause: error });
  }
}

function expectValidPcm(pcm: Pcm): void {
  expect(pcm.sampleRateHz).toBeGreaterThanOrEqual(8000);
  expect(pcm.sampleRateHz).toBeLessThanOrEqual(48000);
  expect(pcm.samples.length).toBeGreaterThan(0);
  for (const v of pcm.samples) if (!(v >= -1 && v <= 1)) throw new Error(`sample ${v} outside [-1, 1]`);
}

describe('decodeAudio (fuzz)', () => {
  it('refuses random bytes with an AudioError, never a crash', async () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 200; trial++) {
      const bytes = new Uint8Array(1 + Math.floor(random() * 4000)).map(() => Math.floor(random() * 256));
      const result = await outcome(bytes);
      expect(result).toBeInstanceOf(AudioError);
    }
  });

  it('decodes random bytes of even length as raw PCM when asked, and refuses odd lengths', async () => {
    const random = seededRandom(2);
    for (let trial = 0; trial < 50; trial++) {
      const length = 2 * (1 + Math.floor(random() * 2000)) - (trial % 2); // odd on odd trials
      const bytes = new Uint8Array(length).map(() => Math.floor(random() * 256));
      const result = await outcome(bytes, true);
      if (length % 2 === 1) expect(result).toBeInstanceOf(TruncatedAudioError);
      else expectValidPcm(result as Pcm);
    }
  });

  it.each(FILES)('refuses or decodes every truncation of %s, never crashing', async (name) => {
    const random = seededRandom(name.length);
    const whole = fixture(name);
    for (let trial = 0; trial < 25; trial++) {
      const result = await outcome(whole.subarray(0, Math.floor(random() * whole.byteLength)));
      if (!(result instanceof AudioError)) expectValidPcm(result);
    }
  });

  it.each(FILES)('refuses or decodes %s with random bytes flipped, never crashing', async (name) => {
    const random = seededRandom(name.length + 100);
    for (let trial = 0; trial < 25; trial++) {
      const bytes = fixture(name);
      const flips = 1 + Math.floor(random() * 8);
      // Half the trials hit the first 64 bytes, where the headers are.
      for (let f = 0; f < flips; f++) {
        const at = trial % 2 === 0 ? Math.floor(random() * Math.min(64, bytes.byteLength)) : Math.floor(random() * bytes.byteLength);
        bytes[at] = Math.floor(random() * 256);
      }
      const result = await outcome(bytes);
      if (!(result instanceof AudioError)) expectValidPcm(result);
    }
  });
});
