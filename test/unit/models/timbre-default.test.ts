import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CARD_PATH = join(REPO_ROOT, 'models/timbre-default.json');
const VECTOR_PATH = join(REPO_ROOT, 'test/fixtures/models/timbre-default.vector.json');

interface Card {
  readonly format: string;
  readonly id: string;
  readonly onnx: string;
  readonly sha256: string;
  readonly parameters: number;
  readonly io: { readonly input: string; readonly output: string; readonly embeddingDim: number };
  readonly features: { readonly numMelBins: number };
}

interface TestVector {
  readonly model: string;
  readonly frames: number;
  readonly numMelBins: number;
  readonly feats: number[];
  readonly embedding: number[];
}

const card = JSON.parse(readFileSync(CARD_PATH, 'utf8')) as Card;
const vector = JSON.parse(readFileSync(VECTOR_PATH, 'utf8')) as TestVector;
const onnxPath = join(dirname(CARD_PATH), card.onnx);

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** Runs the shipped model on a batch of equal-length fbank matrices; returns one embedding per item. */
async function embed(session: ort.InferenceSession, batch: Float32Array[], frames: number): Promise<Float32Array[]> {
  const bins = card.features.numMelBins;
  const data = new Float32Array(batch.length * frames * bins);
  batch.forEach((item, i) => data.set(item, i * frames * bins));
  const out = await session.run({ [card.io.input]: new ort.Tensor('float32', data, [batch.length, frames, bins]) });
  const embs = out[card.io.output]!;
  const dim = embs.dims[1]!;
  const values = embs.data as Float32Array;
  return batch.map((_, i) => values.slice(i * dim, (i + 1) * dim));
}

describe('timbre-default model', () => {
  it('matches the sha256 its card names and stays within the size budget', () => {
    // Prepare
    const bytes = readFileSync(onnxPath);
    // Act
    const digest = createHash('sha256').update(bytes).digest('hex');
    // Assess
    expect(card.format).toBe('timbre-model-card/1');
    expect(digest).toBe(card.sha256);
    expect(bytes.length).toBeLessThanOrEqual(12 * 1024 * 1024);
    expect(card.parameters).toBeLessThanOrEqual(3_000_000);
  });

  it('gives the PyTorch embedding (cosine >= 0.999) when run by onnxruntime-node on the committed fbank', async () => {
    // Prepare
    expect(vector.model).toBe(card.id);
    expect(vector.feats.length).toBe(vector.frames * vector.numMelBins);
    const session = await ort.InferenceSession.create(onnxPath);
    // Act
    const [emb] = await embed(session, [Float32Array.from(vector.feats)], vector.frames);
    // Assess
    expect(emb!.length).toBe(card.io.embeddingDim);
    expect(cosine(emb!, vector.embedding)).toBeGreaterThanOrEqual(0.999);
  });

  it('embeds each item of a batch independently and varies with the input', async () => {
    // Prepare: the vector and a time-reversed copy, batched, at another length than the vector's
    const session = await ort.InferenceSession.create(onnxPath);
    const bins = vector.numMelBins;
    const frames = vector.frames - 30;
    const head = Float32Array.from(vector.feats.slice(0, frames * bins));
    const reversed = new Float32Array(frames * bins);
    for (let t = 0; t < frames; t++) reversed.set(head.subarray((frames - 1 - t) * bins, (frames - t) * bins), t * bins);
    // Act
    const [a, b] = await embed(session, [head, reversed], frames);
    const [alone] = await embed(session, [head], frames);
    // Assess
    expect(cosine(a!, alone!)).toBeGreaterThanOrEqual(0.9999);
    expect(cosine(a!, b!)).toBeLessThan(0.999);
  });
});
