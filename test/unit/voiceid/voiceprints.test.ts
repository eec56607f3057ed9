import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { describe, expect, it } from 'vitest';
import { UnrecognisedAudioFormatError } from '../../../lambdas/audio/index.js';
import { createScorer } from '../../../lambdas/scoring/index.js';
import { embedRecording, enrolVoiceprint, scoreProbe, type EmbeddedRecording, type RecordingEmbedding } from '../../../lambdas/voiceid/voiceprints.js';
import { aggregateEmbeddings, embedAudio, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const CARD_PATH = join(FIXTURES, 'models/tiny-spk.json');
const fixture = (path: string): Uint8Array => readFileSync(join(FIXTURES, path));
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** A 16-bit mono WAV of `seconds` of digital silence at 16 kHz. */
function silentWav(seconds: number): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 16000, '16', new Int16Array(Math.round(seconds * 16000)));
  return wav.toBuffer();
}

function embedded(recording: RecordingEmbedding): EmbeddedRecording {
  if (recording.outcome !== 'embedded') throw new Error(`expected an embedding, got: ${recording.reason}`);
  return recording;
}

describe('embedRecording', () => {
  it('embeds the net speech of a recording as embedAudio does', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const bytes = fixture('fbank/bench-8k-10s.wav');

    const recording = embedded(await embedRecording(model, bytes));

    const reference = await embedAudio(model, bytes);
    expect(dot(recording.embedding, reference.embedding)).toBeCloseTo(1, 6);
    expect(recording.netSpeechSeconds).toBeCloseTo(reference.netSpeechSeconds, 6);
    expect(recording.netSpeechSeconds).toBeGreaterThan(5);
  });

  it('reports too little speech as an outcome that says how much there was', async () => {
    const model = await loadSpeakerModel(CARD_PATH);

    const recording = await embedRecording(model, silentWav(3));

    expect(recording).toMatchObject({ outcome: 'insufficient-speech', speechSeconds: 0, minSeconds: 0.5 });
    expect(recording.outcome === 'insufficient-speech' && recording.reason).toBe('0.00 s of speech is less than the 0.5 s the model needs');
  });

  it('reads headerless 16-bit PCM at the rate it is given, and refuses it without one', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const raw = fixture('audio/speech-8k-s16le.raw');

    const fromRaw = embedded(await embedRecording(model, raw, { rawPcmSampleRateHz: 8000 }));

    const fromWav = embedded(await embedRecording(model, fixture('audio/speech-8k-s16.wav')));
    expect(dot(fromRaw.embedding, fromWav.embedding)).toBeCloseTo(1, 5);
    await expect(embedRecording(model, raw)).rejects.toThrow(UnrecognisedAudioFormatError);
  });
});

describe('enrolVoiceprint', () => {
  it('aggregates the recordings with enough speech, weighted by net speech, and lists the others', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const recordings = [
      await embedRecording(model, silentWav(2)),
      await embedRecording(model, fixture('fbank/speech-16k.wav')),
      await embedRecording(model, fixture('fbank/bench-8k-10s.wav')),
    ];
    const [, first, second] = [recordings[0]!, embedded(recordings[1]!), embedded(recordings[2]!)];

    const enrolment = enrolVoiceprint(recordings);

    if (enrolment.outcome !== 'enrolled') throw new Error('expected a voiceprint');
    const expected = aggregateEmbeddings([first.embedding, second.embedding], [first.netSpeechSeconds, second.netSpeechSeconds]);
    expect(dot(enrolment.voiceprint.embedding, expected)).toBeCloseTo(1, 6);
    expect(enrolment.voiceprint.netSpeechSeconds).toBeCloseTo(first.netSpeechSeconds + second.netSpeechSeconds, 9);
    expect(enrolment.voiceprint.used).toEqual([1, 2]);
    expect(enrolment.leftOut).toEqual([{ index: 0, recording: recordings[0] }]);
  });

  it('makes no voiceprint when no recording has enough speech, and says which were left out', async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const recordings = [await embedRecording(model, silentWav(1)), await embedRecording(model, silentWav(2))];

    const enrolment = enrolVoiceprint(recordings);

    expect(enrolment.outcome).toBe('insufficient-speech');
    expect(enrolment.leftOut.map((l) => l.index)).toEqual([0, 1]);
    expect(enrolVoiceprint([])).toEqual({ outcome: 'insufficient-speech', leftOut: [] });
  });
});

describe('scoreProbe', () => {
  it("scores a probe against a voiceprint with the card's scorer", async () => {
    const model = await loadSpeakerModel(CARD_PATH);
    const scorer = createScorer(model.card.scoring);
    const enrolRecording = embedded(await embedRecording(model, fixture('fbank/speech-16k.wav')));
    const probe = embedded(await embedRecording(model, fixture('fbank/bench-8k-10s.wav')));
    const enrolment = enrolVoiceprint([enrolRecording]);
    if (enrolment.outcome !== 'enrolled') throw new Error('expected a voiceprint');

    const trial = scoreProbe(scorer, enrolment.voiceprint, probe);
    const self = scoreProbe(scorer, enrolment.voiceprint, enrolRecording);

    // A voiceprint of one recording is that recording's embedding (renormalised, so equal to float precision).
    const direct = scorer.score(enrolRecording.embedding, probe.embedding);
    expect(trial.cosine).toBeCloseTo(direct.cosine, 6);
    expect(trial.llr).toBeCloseTo(direct.llr, 5);
    expect(trial.score100).toBe(direct.score100);
    expect(self.cosine).toBeCloseTo(1, 5);
    expect(self.score100).toBe(Math.round(100 / (1 + Math.exp(-(10 * self.cosine - 5)))));
  });
});
