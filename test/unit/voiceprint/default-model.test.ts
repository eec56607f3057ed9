import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';

const REPO = resolve(import.meta.dirname, '../../..');
const CARD = join(REPO, DEFAULT_MODEL_CARD_FILE);
// Written by training/timbre_train/export.py beside the ONNX: mean-normalised fbank frames and PyTorch's embedding of them.
const VECTOR = join(REPO, 'test/fixtures/models/timbre-default.vector.json');
const present = existsSync(CARD) && existsSync(VECTOR);
if (!present) console.warn(`test/unit/voiceprint: ${DEFAULT_MODEL_CARD_FILE} or its test vector is absent; skipping the default model's parity check`);

describe.skipIf(!present)('the default model', () => {
  it('gives through onnxruntime the embedding PyTorch gave the same features (cosine > 0.999)', async () => {
    // Prepare
    const vector = JSON.parse(readFileSync(VECTOR, 'utf8')) as { model: string; frames: number; numMelBins: number; feats: number[]; embedding: number[] };
    const model = await loadSpeakerModel(CARD);
    expect(model.card.id).toBe(vector.model);

    // Act
    const [raw] = await model.embedFrames([{ numFrames: vector.frames, dim: vector.numMelBins, data: Float32Array.from(vector.feats) }]);

    // Assess
    const dot = raw!.reduce((s, v, i) => s + v * vector.embedding[i]!, 0);
    const cosine = dot / (Math.hypot(...raw!) * Math.hypot(...vector.embedding));
    expect(raw).toHaveLength(model.card.io.embeddingDim);
    expect(cosine).toBeGreaterThan(0.999);
  });
});
