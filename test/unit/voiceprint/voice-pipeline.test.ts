import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { describe, expect, it } from 'vitest';
import { InsufficientSpeechError, embedAudio, embedSpeech, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';
import { decodeAudio, resample } from '../../../lambdas/audio/index.js';
import { detectSpeech, extractSpeech } from '../../../lambdas/speech/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const CARD_PATH = join(FIXTURES, 'models/tiny-spk.json');
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** A 16-bit mono WAV of `seconds` of digital silence at `rateHz`. */
function silentWav(seconds: number, rateHz: number): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, rateHz, '16', new Int16Array(Math.round(seconds * rateHz)));
  return wav.toBuffer();
}

describe('embedAudio', () => {
  it('embeds the net speech of an 8 kHz call: VAD at 8 kHz, then only the speech resampled', async () => {
    // Prepare
    const model = await loadSpeakerModel(CARD_PATH);
    const bytes = readFileSync(join(FIXTURES, 'fbank/bench-8k-10s.wav'));
    const decoded = await decodeAudio(bytes);
    const detection = await detectSpeech(decoded);
    const expected = await embedSpeech(model, resample(extractSpeech(decoded, detection.segments), 16000));

    // Act
    const result = await embedAudio(model, bytes);

    // Assess
    expect(result.totalSeconds).toBeCloseTo(10, 3);
    expect(result.netSpeechSeconds).toBeCloseTo(detection.netSpeechSeconds, 6);
    expect(result.netSpeechSeconds).toBeGreaterThan(5);
    expect(result.netSpeechSeconds).toBeLessThan(10);
    expect(dot(result.embedding, expected.embedding)).toBeCloseTo(1, 6);
    expect(result.numWindows).toBe(expected.numWindows);
    // This recording: 9.09 s of speech, embedded in 3 s windows every 1.5 s plus one aligned to the end.
    expect(result.netSpeechSeconds).toBeCloseTo(9.09, 2);
    expect(result.numWindows).toBe(6);
    // The stages are disjoint stretches of the call: each a finite, non-negative time, together within the total.
    const { total, ...stages } = result.timingsMs;
    expect(Object.keys(stages).sort()).toEqual(['decode', 'features', 'model', 'resample', 'vad']);
    for (const ms of [total, ...Object.values(stages)]) {
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(0);
    }
    expect(Object.values(stages).reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(total + 1e-9);
  });

  it('gives the same voice at 8 and 16 kHz a similar embedding', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const wide = await embedAudio(model, readFileSync(join(FIXTURES, 'fbank/speech-16k.wav')));
    const narrow = await embedAudio(model, readFileSync(join(FIXTURES, 'fbank/speech-8k.wav')));
    expect(dot(wide.embedding, narrow.embedding)).toBeGreaterThan(0.8);
  });

  it('reports silence as too little speech, with how much there was', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    for (const rateHz of [8000, 22050]) {
      const error = await embedAudio(model, silentWav(3, rateHz)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsufficientSpeechError);
      expect((error as InsufficientSpeechError).netSpeechSeconds).toBe(0);
    }
  });
});
