import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineScore } from '../../../lambdas/scoring/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';
import type { SpeakerModel } from '../../../lambdas/voiceprint/index.js';

// The shipped default model is part of the repository: these checks never skip.
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const CARD_PATH = join(REPO_ROOT, DEFAULT_MODEL_CARD_FILE);
// Written by training/timbre_train/export.py: mean-normalised fbank frames and PyTorch's embedding of them.
const VECTOR_PATH = join(REPO_ROOT, 'test/fixtures/models/timbre-default.vector.json');

interface TestVector {
  readonly model: string;
  readonly frames: number;
  readonly numMelBins: number;
  readonly feats: number[];
  readonly embedding: number[];
}

const vector = JSON.parse(readFileSync(VECTOR_PATH, 'utf8')) as TestVector;

/** The first `frames` frames of the test vector, optionally time-reversed. */
function framesOf(frames: number, reversed = false) {
  const bins = vector.numMelBins;
  const data = new Float32Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const from = reversed ? frames - 1 - t : t;
    data.set(vector.feats.slice(from * bins, (from + 1) * bins), t * bins);
  }
  return { numFrames: frames, dim: bins, data };
}

describe('the shipped default model', () => {
  let model: SpeakerModel;

  beforeAll(async () => {
    // loadSpeakerModel checks the sha256 the card names and the tensor names against the ONNX graph.
    model = await loadSpeakerModel(CARD_PATH);
  });

  it('stays within the Lambda budget of 3 M parameters and 12 MB of ONNX', () => {
    const onnxBytes = statSync(model.card.onnxPath).size;
    expect(onnxBytes).toBeLessThanOrEqual(12 * 1024 * 1024);
    expect(JSON.parse(readFileSync(CARD_PATH, 'utf8')).parameters).toBeLessThanOrEqual(3_000_000);
  });

  it('gives through onnxruntime-node the embedding PyTorch gave the same features (cosine >= 0.999)', async () => {
    // Prepare
    expect(vector.model).toBe(model.card.id);
    expect(vector.feats).toHaveLength(vector.frames * vector.numMelBins);
    // Act
    const [embedding] = await model.embedFrames([framesOf(vector.frames)]);
    // Assess
    expect(embedding).toHaveLength(model.card.io.embeddingDim);
    expect(cosineScore(embedding!, Float32Array.from(vector.embedding))).toBeGreaterThanOrEqual(0.999);
  });

  it('embeds each item of a batch independently and varies with the input', async () => {
    // Prepare: the vector and a time-reversed copy, at another length than the vector's
    const frames = vector.frames - 30;
    // Act
    const [forward, backward] = await model.embedFrames([framesOf(frames), framesOf(frames, true)]);
    const [alone] = await model.embedFrames([framesOf(frames)]);
    // Assess
    expect(cosineScore(forward!, alone!)).toBeGreaterThanOrEqual(0.9999);
    expect(cosineScore(forward!, backward!)).toBeLessThan(0.999);
  });
});
