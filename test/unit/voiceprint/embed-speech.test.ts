import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InsufficientSpeechError,
  InvalidVoiceInputError,
  ModelLoadError,
  aggregateEmbeddings,
  embedSpeech,
  loadSpeakerModel,
  planWindows,
  subtractMean,
} from '../../../lambdas/voiceprint/index.js';
import { readWavFixture } from './read-wav.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const CARD_PATH = join(FIXTURES, 'models/tiny-spk.json');
const POLICY = { windowSeconds: 3, hopSeconds: 1.5, minSeconds: 0.5, pooling: 'mean' as const };

const dot = (a: Float32Array, b: Float32Array | number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** A copy of the tiny card in a temp dir, edited by `edit`, pointing at the committed ONNX file. */
function editedCard(edit: (card: Record<string, any>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-model-'));
  copyFileSync(join(FIXTURES, 'models/tiny-spk.onnx'), join(dir, 'tiny-spk.onnx'));
  const card = JSON.parse(readFileSync(CARD_PATH, 'utf8'));
  edit(card);
  writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
  return join(dir, 'card.json');
}

describe('planWindows', () => {
  it('makes one window of the whole input when it is no longer than a window', () => {
    expect(planWindows(250, 10, POLICY)).toEqual({ starts: [0], lengthFrames: 250 });
    expect(planWindows(300, 10, POLICY)).toEqual({ starts: [0], lengthFrames: 300 });
  });

  it('hops by hopSeconds and adds a window aligned to the end for the tail', () => {
    // 7 s: windows at 0, 1.5, 3 s cover up to 6 s; the last second gets a window starting at 4 s.
    expect(planWindows(700, 10, POLICY)).toEqual({ starts: [0, 150, 300, 400], lengthFrames: 300 });
    // 6 s: the hop lands exactly on the end, so no extra window.
    expect(planWindows(600, 10, POLICY)).toEqual({ starts: [0, 150, 300], lengthFrames: 300 });
  });
});

describe('loadSpeakerModel', () => {
  it('loads the tiny model once per process', async () => {
    const first = await loadSpeakerModel(CARD_PATH);
    const second = await loadSpeakerModel(CARD_PATH);
    expect(second).toBe(first);
    expect(first.card.id).toBe('tiny-spk-test');
  });

  it('refuses an ONNX file whose sha256 differs from the card', async () => {
    const card = editedCard((c) => (c.sha256 = '0'.repeat(64)));
    await expect(loadSpeakerModel(card)).rejects.toThrow(ModelLoadError);
    await expect(loadSpeakerModel(card)).rejects.toThrow(/has sha256 9d30aacb.*the card says 0000/);
  });

  it('names the real tensor names when the card gets them wrong', async () => {
    await expect(loadSpeakerModel(editedCard((c) => (c.io.input = 'feature')))).rejects.toThrow(/io.input is "feature" but the ONNX inputs are \[feats\]/);
    await expect(loadSpeakerModel(editedCard((c) => (c.io.output = 'embedding')))).rejects.toThrow(/ONNX outputs are \[embs\]/);
  });

  it('finds a wrong embeddingDim at load, not at first use', async () => {
    await expect(loadSpeakerModel(editedCard((c) => (c.io.embeddingDim = 192)))).rejects.toThrow(/returned float32 \[1, 16\], the card promises float32 \[1, 192\]/);
  });
});

describe('embedSpeech', () => {
  it('matches a numpy embedding of the torchaudio features (fbank + onnxruntime end to end)', async () => {
    // Prepare
    const model = await loadSpeakerModel(CARD_PATH);
    const pcm = readWavFixture(join(FIXTURES, 'fbank/speech-16k.wav'));
    const golden = JSON.parse(readFileSync(join(FIXTURES, 'models/tiny-spk.golden.json'), 'utf8')) as { embedding: number[] };

    // Act
    const result = await embedSpeech(model, pcm);

    // Assess
    expect(result.numWindows).toBe(1);
    expect(result.speechSeconds).toBe(2);
    expect(result.embedding).toHaveLength(16);
    expect(dot(result.embedding, result.embedding)).toBeCloseTo(1, 5);
    expect(dot(result.embedding, golden.embedding)).toBeGreaterThan(0.9999);
  });

  it('averages the L2-normalised embeddings of its windows on long audio', async () => {
    // Prepare: 8 s of speech made of the 2 s fixture repeated
    const model = await loadSpeakerModel(CARD_PATH);
    const clip = readWavFixture(join(FIXTURES, 'fbank/speech-16k.wav')).samples;
    const samples = new Float32Array(clip.length * 4);
    for (let i = 0; i < 4; i++) samples.set(clip, i * clip.length);
    const frames = model.features.compute(samples);
    const { starts, lengthFrames } = planWindows(frames.numFrames, 10, model.card.windowing);
    const raw = await model.embedFrames(starts.map((s) => subtractMean(frames, s, lengthFrames)));
    const expected = aggregateEmbeddings(raw);

    // Act
    const result = await embedSpeech(model, { sampleRateHz: 16000, samples });

    // Assess
    expect(result.numWindows).toBe(starts.length);
    expect(starts.length).toBeGreaterThan(3);
    expect(dot(result.embedding, expected)).toBeCloseTo(1, 5);
  });

  it('refuses audio shorter than minSeconds with the amount of speech it got', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const error = await embedSpeech(model, { sampleRateHz: 16000, samples: new Float32Array(4000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientSpeechError);
    expect((error as InsufficientSpeechError).netSpeechSeconds).toBe(0.25);
  });

  it('refuses audio at another sample rate than the card', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    await expect(embedSpeech(model, { sampleRateHz: 8000, samples: new Float32Array(16000) })).rejects.toThrow(InvalidVoiceInputError);
  });

  it('subtracts the card mean vector before normalising', async () => {
    const meanVector = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0.3 : -0.2));
    const cardPath = editedCard((c) => (c.scoring.meanVector = 'mean.json'));
    writeFileSync(join(cardPath, '../mean.json'), JSON.stringify(meanVector));
    const pcm = readWavFixture(join(FIXTURES, 'fbank/speech-16k.wav'));
    const plain = await embedSpeech(await loadSpeakerModel(CARD_PATH), pcm);
    const centred = await embedSpeech(await loadSpeakerModel(cardPath), pcm);
    expect(dot(plain.embedding, centred.embedding)).toBeLessThan(0.999);
  });
});

describe('aggregateEmbeddings', () => {
  it('returns the normalised mean of normalised embeddings, weighted by seconds', () => {
    const a = Float32Array.from([2, 0]);
    const b = Float32Array.from([0, 5]);
    expect(Array.from(aggregateEmbeddings([a, b]))).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
    const weighted = aggregateEmbeddings([a, b], [3, 1]);
    expect(weighted[0]! / weighted[1]!).toBeCloseTo(3, 5);
  });

  it('refuses an empty list and mismatched sizes', () => {
    expect(() => aggregateEmbeddings([])).toThrow(InvalidVoiceInputError);
    expect(() => aggregateEmbeddings([new Float32Array(2), new Float32Array(3)])).toThrow(/differ in size/);
  });
});
