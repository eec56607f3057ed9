import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioError } from '../../../lambdas/audio/index.js';
import { createSessionVoiceEngine } from '../../../lambdas/voiceid/session-engine.js';
import { DEFAULT_MODEL_CARD_FILE, embedAudio, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';

const REPO = join(import.meta.dirname, '../../..');
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('the session voice engine', () => {
  it('gives tiny raw PCM pieces (held back for the VAD) the embedding of the whole recording', async () => {
    const model = await loadSpeakerModel(join(REPO, DEFAULT_MODEL_CARD_FILE));
    const engine = createSessionVoiceEngine(model);
    // 10 s of 8 kHz 16-bit mono speech: the 44-byte WAV header, then the samples.
    const wav = readFileSync(join(REPO, 'test/fixtures/fbank/bench-8k-10s.wav'));
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));

    let state: Uint8Array | undefined;
    let net = 0;
    for (let at = 0; at < samples.length; at += 160) {
      const last = at + 160 >= samples.length;
      ({ state, netSpeechSeconds: net } = await engine.addAudio(state, { kind: 'pcm', samples: samples.slice(at, at + 160), sampleRateHz: 8000 }, last));
    }

    const whole = await embedAudio(model, wav);
    expect(dot((await engine.voiceprint(state!))!, whole.embedding)).toBeGreaterThan(0.98);
    expect(net).toBeGreaterThan(0.5 * whole.netSpeechSeconds);
  }, 60_000);

  it('refuses undecodable files and unsupported rates with AudioErrors, and has no voiceprint without speech', async () => {
    const engine = createSessionVoiceEngine(await loadSpeakerModel(join(REPO, DEFAULT_MODEL_CARD_FILE)));
    await expect(engine.addAudio(undefined, { kind: 'file', bytes: new TextEncoder().encode('no audio here') }, false)).rejects.toBeInstanceOf(AudioError);
    await expect(engine.addAudio(undefined, { kind: 'pcm', samples: new Int16Array(100), sampleRateHz: 11025 }, false)).rejects.toBeInstanceOf(AudioError);
    const silent = await engine.addAudio(undefined, { kind: 'pcm', samples: new Int16Array(8000 * 4), sampleRateHz: 8000 }, true);
    expect(silent.netSpeechSeconds).toBe(0);
    expect(await engine.voiceprint(silent.state)).toBeUndefined();
  }, 60_000);
});
