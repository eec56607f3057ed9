import { decodeAudio, resample, type DecodeOptions } from '../audio/index.js';
import { detectSpeech, extractSpeech } from '../speech/index.js';
import { embedSpeech } from './embed-speech.js';
import type { SpeakerModel } from './speaker-model.js';
import type { Embedding } from './types.js';

/** CPU-relevant wall time of each stage of embedAudio, in milliseconds. */
export interface StageTimingsMs {
  readonly decode: number;
  readonly resample: number;
  readonly vad: number;
  readonly features: number;
  readonly model: number;
  readonly total: number;
}

/** What embedAudio made from one recording. */
export interface AudioEmbedding {
  /** L2-normalised embedding of the recording's net speech. */
  readonly embedding: Embedding;
  /** Seconds of speech the VAD found (what Voice ID's 30 s / 5–10 s rules count). */
  readonly netSpeechSeconds: number;
  /** Length of the whole recording in seconds. */
  readonly totalSeconds: number;
  readonly numWindows: number;
  readonly timingsMs: StageTimingsMs;
}

/**
 * The whole voice pipeline for one recording: bytes → decodeAudio → resample to the card's rate → detectSpeech
 * → extractSpeech (net speech only) → embedSpeech. Used by the CLI and the API alike.
 * @param decodeOptions - channel, maximum length, raw-PCM rate (see DecodeOptions)
 * @throws AudioError for undecodable audio, InsufficientSpeechError when the net speech is shorter than the
 *   card's windowing.minSeconds (its netSpeechSeconds says how much there was)
 * @example const { embedding, netSpeechSeconds } = await embedAudio(model, await readFile('call.wav'));
 */
export async function embedAudio(model: SpeakerModel, bytes: Uint8Array, decodeOptions: DecodeOptions = {}): Promise<AudioEmbedding> {
  const t0 = performance.now();
  const decoded = await decodeAudio(bytes, decodeOptions);
  const t1 = performance.now();
  const pcm = decoded.sampleRateHz === model.card.sampleRateHz ? decoded : resample(decoded, model.card.sampleRateHz);
  const t2 = performance.now();
  const detection = await detectSpeech(pcm);
  const speech = extractSpeech(pcm, detection.segments);
  const t3 = performance.now();
  const result = await embedSpeech(model, speech);
  const t4 = performance.now();
  return {
    embedding: result.embedding,
    netSpeechSeconds: detection.netSpeechSeconds,
    totalSeconds: detection.totalSeconds,
    numWindows: result.numWindows,
    timingsMs: { decode: t1 - t0, resample: t2 - t1, vad: t3 - t2, features: result.featuresMs, model: result.modelMs, total: t4 - t0 },
  };
}
