import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerModels } from '../../../lib/inference-layer-files.js';
import { cosineScore } from '../../../lambdas/scoring/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';
import type { SpeakerModel } from '../../../lambdas/voiceprint/index.js';

// The shipped speaker models are part of the repository: these checks never skip.
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
// Each with the test vector training/timbre_train/export.py wrote: mean-normalised fbank frames and PyTorch's embedding.
const SHIPPED = [
  { card: DEFAULT_MODEL_CARD_FILE, vector: 'test/fixtures/models/timbre-default.vector.json' },
  { card: 'models/timbre-spk-v2.json', vector: 'test/fixtures/models/timbre-spk-v2.vector.json' },
];

interface TestVector {
  readonly model: string;
  readonly frames: number;
  readonly numMelBins: number;
  readonly feats: number[];
  readonly embedding: number[];
}

/** The first `frames` frames of `vector`, optionally time-reversed. */
function framesOf(vector: TestVector, frames: number, reversed = false) {
  const bins = vector.numMelBins;
  const data = new Float32Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const from = reversed ? frames - 1 - t : t;
    data.set(vector.feats.slice(from * bins, (from + 1) * bins), t * bins);
  }
  return { numFrames: frames, dim: bins, data };
}

describe.each(SHIPPED)('the shipped speaker model $card', ({ card, vector: vectorFile }) => {
  const cardPath = join(REPO_ROOT, card);
  const vector = JSON.parse(readFileSync(join(REPO_ROOT, vectorFile), 'utf8')) as TestVector;
  let model: SpeakerModel;

  beforeAll(async () => {
    // loadSpeakerModel checks the sha256 the card names and the tensor names against the ONNX graph.
    model = await loadSpeakerModel(cardPath);
  });

  it('stays within the Lambda budget of 3 M parameters and 12 MB of ONNX', () => {
    const onnxBytes = statSync(model.card.onnxPath).size;
    expect(onnxBytes).toBeLessThanOrEqual(12 * 1024 * 1024);
    expect(JSON.parse(readFileSync(cardPath, 'utf8')).parameters).toBeLessThanOrEqual(3_000_000);
  });

  it('gives through onnxruntime-node the embedding PyTorch gave the same features (cosine >= 0.999)', async () => {
    // Prepare
    expect(vector.model).toBe(model.card.id);
    expect(vector.feats).toHaveLength(vector.frames * vector.numMelBins);
    // Act
    const [embedding] = await model.embedFrames([framesOf(vector, vector.frames)]);
    // Assess
    expect(embedding).toHaveLength(model.card.io.embeddingDim);
    expect(cosineScore(embedding!, Float32Array.from(vector.embedding))).toBeGreaterThanOrEqual(0.999);
  });

  it('embeds each item of a batch independently and varies with the input', async () => {
    // Prepare: the vector and a time-reversed copy, at another length than the vector's
    const frames = vector.frames - 30;
    // Act
    const [forward, backward] = await model.embedFrames([framesOf(vector, frames), framesOf(vector, frames, true)]);
    const [alone] = await model.embedFrames([framesOf(vector, frames)]);
    // Assess
    expect(cosineScore(forward!, alone!)).toBeGreaterThanOrEqual(0.9999);
    expect(cosineScore(forward!, backward!)).toBeLessThan(0.999);
  });
});

describe('the opt-in model timbre-spk-v2', () => {
  it('scores with AS-norm against its cohort of training voices and a duration-aware calibration', async () => {
    // Act
    const { card } = await loadSpeakerModel(join(REPO_ROOT, 'models/timbre-spk-v2.json'));
    // Assess: the numbers on its card were measured this way; a card that lost either would not reproduce them
    expect(card.id).toBe('timbre-spk-v2');
    expect(card.scoring.cohort?.length).toBeGreaterThan(1000);
    expect(card.scoring.cohort![0]).toHaveLength(card.io.embeddingDim);
    expect(card.scoring.calibration.duration).toBeDefined();
    expect(card.scoring.watchlistCalibration).not.toBeNull();
  });

  it('can be deployed: the inference layer ships it with its cohort', () => {
    // Act
    const layer = layerModels({ speakerModelCard: 'models/timbre-spk-v2.json' });
    // Assess
    expect(layer.cardId).toBe('timbre-spk-v2');
    expect(layer.layerPath).toBe('/opt/models/timbre-spk-v2.json');
    expect(layer.files.map((file) => file.layerPath)).toEqual(
      expect.arrayContaining(['/opt/models/timbre-spk-v2.onnx', '/opt/models/timbre-spk-v2.cohort.json']),
    );
  });

  it('names, for every evaluation row, the `timbre eval` command that reproduces it with this card', () => {
    // Prepare
    const raw = JSON.parse(readFileSync(join(REPO_ROOT, 'models/timbre-spk-v2.json'), 'utf8')) as { evaluation: { command: string }[] };
    // Assess
    expect(raw.evaluation.length).toBeGreaterThanOrEqual(17);
    for (const row of raw.evaluation) expect(row.command).toMatch(/^timbre eval .* --model models\/timbre-spk-v2\.json$/);
  });
});
