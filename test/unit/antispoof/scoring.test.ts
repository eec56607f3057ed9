import { describe, expect, it } from 'vitest';
import type { Pcm } from '../../../lambdas/audio/index.js';
import {
  appendSpoofSpeech,
  decodeSpoofState,
  emptySpoofState,
  encodeSpoofState,
  finishSpoofScore,
  InvalidSpoofInputError,
  loadSpoofModel,
  planSpoofWindows,
  scoreSpoofSpeech,
  spoofRisk,
  spoofRisk100,
  windowFrames,
  type SpoofModel,
} from '../../../lambdas/antispoof/index.js';
import { writeTinyCm } from '../../support/tiny-cm.js';

/** Int16-exact "speech" (so a state's int16 copy loses nothing): tones whose loudness moves, different in every second. */
function speech(seconds: number, seed = 1): Pcm {
  const n = Math.round(seconds * 16000);
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 16000;
    const envelope = 0.2 + 0.15 * Math.sin(2 * Math.PI * 0.37 * seed * t);
    const v = envelope * (Math.sin(2 * Math.PI * (180 + 40 * seed) * t) + 0.5 * Math.sin(2 * Math.PI * 1250 * t * (1 + 0.1 * Math.sin(t))));
    samples[i] = Math.round(v * 32768) / 32768;
  }
  return { sampleRateHz: 16000, samples };
}

function slice(pcm: Pcm, from: number, to: number): Pcm {
  return { sampleRateHz: pcm.sampleRateHz, samples: pcm.samples.subarray(Math.round(from * 16000), Math.round(to * 16000)) };
}

const geometry = { windowFrames: 400, hopFrames: 200, minFrames: 100 };

describe('planSpoofWindows (4 s windows, 2 s hop, 1 s minimum)', () => {
  it('takes the card seconds as frames', () => {
    expect(windowFrames({ windowing: { windowSeconds: 4, hopSeconds: 2, minSeconds: 1, pooling: 'mean' }, features: { frameShiftMs: 10 } as never })).toEqual(geometry);
  });

  it('gives no window below the minimum and one shorter window below a window', () => {
    expect(planSpoofWindows(99, geometry)).toEqual([]);
    expect(planSpoofWindows(100, geometry)).toEqual([{ start: 0, length: 100 }]);
    expect(planSpoofWindows(399, geometry)).toEqual([{ start: 0, length: 399 }]);
    expect(planSpoofWindows(400, geometry)).toEqual([{ start: 0, length: 400 }]);
  });

  it('adds the next hop’s window, cut short, only when frames remain after the last full window', () => {
    expect(planSpoofWindows(600, geometry)).toEqual([{ start: 0, length: 400 }, { start: 200, length: 400 }]);
    expect(planSpoofWindows(601, geometry)).toEqual([{ start: 0, length: 400 }, { start: 200, length: 400 }, { start: 400, length: 201 }]);
    expect(planSpoofWindows(450, geometry)).toEqual([{ start: 0, length: 400 }, { start: 200, length: 250 }]);
  });
});

describe('spoofRisk', () => {
  it('is the posterior × 100 of a · logit + b, exact at both ends', () => {
    expect(spoofRisk({ kind: 'logistic', a: 1, b: 0 }, 0)).toBe(50);
    expect(spoofRisk({ kind: 'logistic', a: 2, b: -1 }, 0.5)).toBe(50);
    expect(spoofRisk({ kind: 'logistic', a: 1, b: 0 }, Math.log(3))).toBeCloseTo(75, 10);
    expect(spoofRisk({ kind: 'logistic', a: 1, b: 0 }, 1e6)).toBe(100);
    expect(spoofRisk({ kind: 'logistic', a: 1, b: 0 }, -1e6)).toBe(0);
    expect(spoofRisk100(49.5)).toBe(50);
    expect(spoofRisk100(49.49)).toBe(49);
  });
});

describe('scoring speech with the tiny countermeasure', () => {
  const load = (): Promise<SpoofModel> => loadSpoofModel(writeTinyCm(10));

  it('pools the window logits by their mean and calibrates the mean', async () => {
    const model = await load();
    const pcm = speech(9.5);
    const frames = model.features.compute(pcm.samples);
    const windows = planSpoofWindows(frames.numFrames, windowFrames(model.card));
    expect(windows.map((w) => w.length)).toEqual([400, 400, 400, frames.numFrames - 600]);
    const logits = await Promise.all(windows.map(async (w) => (await model.logits([{ numFrames: w.length, dim: 80, data: frames.data.slice(w.start * 80, (w.start + w.length) * 80) }]))[0]!));
    const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
    const score = await scoreSpoofSpeech(model, pcm);
    expect(score?.numWindows).toBe(4);
    expect(score?.pooledLogit).toBeCloseTo(mean, 4);
    expect(score?.risk).toBeCloseTo(100 / (1 + Math.exp(-0.5 * mean)), 4);
    // Frames the speaker model computed already give the same score.
    expect((await scoreSpoofSpeech(model, pcm, frames))?.pooledLogit).toBeCloseTo(score!.pooledLogit, 6);
  });

  it('gives no score below a second of speech and refuses another rate', async () => {
    const model = await load();
    expect(await scoreSpoofSpeech(model, speech(0.9))).toBeUndefined();
    await expect(scoreSpoofSpeech(model, { sampleRateHz: 8000, samples: new Float32Array(16000) })).rejects.toBeInstanceOf(InvalidSpoofInputError);
  });

  it('scores speech fed in pieces as it scores the whole, mid-stream and at the end', async () => {
    const model = await load();
    const whole = speech(13.37, 2);
    let state = emptySpoofState();
    const cuts = [0, 0.4, 0.9, 3.3, 4.05, 7.77, 8, 11.2, 13.37];
    for (let i = 1; i < cuts.length; i++) {
      state = await appendSpoofSpeech(model, state, slice(whole, cuts[i - 1]!, cuts[i]!));
      // Through bytes each time, as a session stores it.
      state = decodeSpoofState(encodeSpoofState(state));
      const sofar = await scoreSpoofSpeech(model, slice(whole, 0, cuts[i]!));
      const now = await finishSpoofScore(model, state);
      if (sofar === undefined) {
        expect(now).toBeUndefined();
      } else {
        expect(now?.numWindows).toBe(sofar.numWindows);
        expect(now?.pooledLogit).toBeCloseTo(sofar.pooledLogit, 4);
        expect(now?.speechSeconds).toBeCloseTo(sofar.speechSeconds, 6);
      }
    }
    // The state keeps less than a window of speech, whatever the length of the call.
    expect(state.pending.length).toBeLessThan(4 * 16000);
  });

  it('refuses bytes that are not a spoof state', () => {
    expect(() => decodeSpoofState(Uint8Array.of(9, 0, 0, 0))).toThrow(InvalidSpoofInputError);
    const bytes = encodeSpoofState({ ...emptySpoofState(), pending: Int16Array.of(1, 2) });
    expect(() => decodeSpoofState(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });

  it('refuses an ONNX file that is not the one its card names', async () => {
    const card = writeTinyCm(0, { sha256: '0'.repeat(64) });
    await expect(loadSpoofModel(card)).rejects.toMatchObject({ name: 'SpoofModelLoadError', message: expect.stringMatching(/the card says 0{64}/) });
    await expect(loadSpoofModel(writeTinyCm(0, { io: { input: 'audio', output: 'logits' } }))).rejects.toThrow(/io.input is "audio" but the ONNX inputs are \[feats\]/);
  });
});
