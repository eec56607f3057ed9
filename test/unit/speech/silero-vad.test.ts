import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeAudio, resample } from '../../../lambdas/audio/index.js';
import { OnnxGraphError, openOnnxSession } from '../../../lambdas/onnx/index.js';
import {
  SILERO_FRAMING,
  SILERO_VAD_V6_2_SHA256,
  batchedSileroGraph,
  sileroModelPath,
  sileroProbabilities,
} from '../../../lambdas/speech/index.js';
import { fixture } from '../audio/audio-fixtures.js';

/**
 * Silero VAD as the package's model runs it: one call per window, the window with the last 32 / 64
 * samples before it prepended, the state [2, 1, 128] carried from call to call.
 */
async function streamingProbabilities(samples: Float32Array, rate: 8000 | 16000): Promise<Float32Array> {
  const session = await openOnnxSession({ path: sileroModelPath(), sha256: SILERO_VAD_V6_2_SHA256 });
  const { windowSamples, contextSamples } = SILERO_FRAMING[rate];
  const windows = Math.ceil(samples.length / windowSamples);
  const probabilities = new Float32Array(windows);
  const frame = new Float32Array(contextSamples + windowSamples);
  let state: Tensor = new Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  for (let w = 0; w < windows; w++) {
    frame.copyWithin(0, windowSamples, windowSamples + contextSamples);
    const window = samples.subarray(w * windowSamples, (w + 1) * windowSamples);
    frame.set(window, contextSamples);
    frame.fill(0, contextSamples + window.length);
    const result = await session.run({
      input: new Tensor('float32', frame.slice(), [1, frame.length]),
      state,
      sr: new Tensor('int64', BigInt64Array.of(BigInt(rate)), []),
    });
    probabilities[w] = (result.output!.data as Float32Array)[0]!;
    state = result.stateN as Tensor;
  }
  return probabilities;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i]!)), 0);
}

describe('sileroProbabilities (the batched graph)', () => {
  it.each([8000, 16000] as const)('gives the probabilities of one call per window at %i Hz, to 1e-4', async (rate) => {
    // Prepare: speech and silences, with a last window that is partial
    const pcm8k = await decodeAudio(fixture('speech-with-silences-8k-s16.wav'));
    const samples = (rate === 8000 ? pcm8k : resample(pcm8k, rate)).samples.subarray(0, -100);
    expect(samples.length % SILERO_FRAMING[rate].windowSamples).not.toBe(0);
    // Act
    const batched = await sileroProbabilities(samples, rate);
    // Assess
    const streamed = await streamingProbabilities(samples, rate);
    expect(maxAbsDifference(batched, streamed)).toBeLessThan(1e-4);
    expect(Math.max(...batched)).toBeGreaterThan(0.8); // the comparison covers speech, not only silence
  });

  it('carries the context and LSTM state across its runs of 2048 windows (70 s at 8 kHz)', async () => {
    const once = (await decodeAudio(fixture('speech-with-silences-8k-s16.wav'))).samples;
    const samples = new Float32Array(70 * 8000);
    for (let at = 0; at < samples.length; at += once.length) samples.set(once.subarray(0, samples.length - at), at);
    const batched = await sileroProbabilities(samples, 8000);
    expect(batched.length).toBeGreaterThan(2048);
    expect(maxAbsDifference(batched, await streamingProbabilities(samples, 8000))).toBeLessThan(1e-4);
  });

  it('gives nothing for no samples and one probability for a single short window', async () => {
    expect(await sileroProbabilities(new Float32Array(0), 16000)).toEqual(new Float32Array(0));
    const short = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i / 3) * 0.3);
    const [batched] = await sileroProbabilities(short, 8000);
    const [streamed] = await streamingProbabilities(short, 8000);
    expect(Math.abs(batched! - streamed!)).toBeLessThan(1e-4);
  });
});

describe('batchedSileroGraph', () => {
  it('refuses a model that is not shaped like Silero VAD v6.2', () => {
    const other = readFileSync(resolve(import.meta.dirname, '../../fixtures/models/tiny-spk.onnx'));
    expect(() => batchedSileroGraph(other, 8000)).toThrow(OnnxGraphError);
  });
});
