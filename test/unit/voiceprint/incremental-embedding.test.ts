import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, resample, type Pcm } from '../../../lambdas/audio/index.js';
import { detectSpeech, extractSpeech } from '../../../lambdas/speech/index.js';
import {
  DEFAULT_MODEL_CARD_FILE,
  InsufficientSpeechError,
  InvalidVoiceInputError,
  appendSpeech,
  decodeEmbeddingState,
  embedSpeech,
  emptyEmbeddingState,
  encodeEmbeddingState,
  finishEmbedding,
  loadSpeakerModel,
  type EmbeddingState,
  type SpeakerModel,
} from '../../../lambdas/voiceprint/index.js';
import { libriSpeechFiles } from '../../support/shared-data.js';
import { readWavFixture } from './read-wav.js';

const REPO = join(import.meta.dirname, '../../..');
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** Net speech of recordings at the model's rate, concatenated. */
async function netSpeech(model: SpeakerModel, files: readonly Uint8Array[]): Promise<Pcm> {
  const parts: Float32Array[] = [];
  for (const bytes of files) {
    const decoded = await decodeAudio(bytes);
    const speech = extractSpeech(decoded, (await detectSpeech(decoded)).segments);
    parts.push(speech.sampleRateHz === model.card.sampleRateHz ? speech.samples : resample(speech, model.card.sampleRateHz).samples);
  }
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { sampleRateHz: model.card.sampleRateHz, samples };
}

/** Feeds `speech` in pieces of the given lengths in seconds, cycling through them. */
async function feedInPieces(model: SpeakerModel, speech: Pcm, pieceSeconds: readonly number[]): Promise<EmbeddingState> {
  let state = emptyEmbeddingState();
  for (let at = 0, i = 0; at < speech.samples.length; i++) {
    const length = Math.round(pieceSeconds[i % pieceSeconds.length]! * speech.sampleRateHz);
    state = await appendSpeech(model, state, { sampleRateHz: speech.sampleRateHz, samples: speech.samples.subarray(at, at + length) });
    at += length;
    // Round-trip through the stored form every time, as a session does.
    state = decodeEmbeddingState(encodeEmbeddingState(state));
  }
  return state;
}

const files = libriSpeechFiles('19', 3);
if (files.length === 0) console.warn('incremental-embedding.test.ts: shared data absent; skipping the real-speech comparison (LibriSpeech)');

describe('incremental embedding', () => {
  it.skipIf(files.length === 0)('gives embedSpeech’s embedding of the concatenated real speech, whatever the pieces', async () => {
    const model = await loadSpeakerModel(join(REPO, DEFAULT_MODEL_CARD_FILE));
    const speech = await netSpeech(model, files);
    const reference = await embedSpeech(model, speech);

    for (const pieces of [[0.31], [2.7, 0.05, 5.2], [40]]) {
      const state = await feedInPieces(model, speech, pieces);
      const result = await finishEmbedding(model, state);
      expect(dot(result.embedding, reference.embedding)).toBeGreaterThan(0.999);
      expect(result.numWindows).toBe(reference.numWindows);
      expect(result.speechSeconds).toBeCloseTo(reference.speechSeconds, 6);
    }
    // The kept speech stays under a window and a hop, whatever was fed.
    const state = await feedInPieces(model, speech, [1.1]);
    const { windowSeconds, hopSeconds } = model.card.windowing;
    expect(state.pending.length / model.card.sampleRateHz).toBeLessThan(windowSeconds + hopSeconds);
  }, 120_000);

  it('embeds speech shorter than a window as one window of its own length, and leaves the state unchanged', async () => {
    const model = await loadSpeakerModel(join(REPO, DEFAULT_MODEL_CARD_FILE));
    const pcm = readWavFixture(join(REPO, 'test/fixtures/fbank/speech-16k.wav'));
    const short = { sampleRateHz: pcm.sampleRateHz, samples: pcm.samples.subarray(0, Math.round(1.2 * pcm.sampleRateHz)) };
    const state = await appendSpeech(model, emptyEmbeddingState(), short);

    const result = await finishEmbedding(model, state);

    const reference = await embedSpeech(model, short);
    expect(dot(result.embedding, reference.embedding)).toBeGreaterThan(0.999);
    expect(result.numWindows).toBe(1);
    expect(state.numWindows).toBe(0);
  });

  it('refuses too little speech and a wrong rate with typed errors', async () => {
    const model = await loadSpeakerModel(join(REPO, DEFAULT_MODEL_CARD_FILE));
    await expect(finishEmbedding(model, emptyEmbeddingState())).rejects.toThrow(InsufficientSpeechError);
    await expect(appendSpeech(model, emptyEmbeddingState(), { sampleRateHz: 8000, samples: new Float32Array(800) })).rejects.toThrow(InvalidVoiceInputError);
    expect(() => decodeEmbeddingState(new Uint8Array([1, 2, 3]))).toThrow(InvalidVoiceInputError);
  });
});
