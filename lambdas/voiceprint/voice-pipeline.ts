import { decodeAudio, resample, type DecodeOptions, type Pcm } from '../audio/index.js';
import { detectSpeech, extractSpeech, type SpeechDetection } from '../speech/index.js';
import { embedSpeech } from './embed-speech.js';
import { InsufficientSpeechError } from './errors.js';
import type { SpeakerModel } from './speaker-model.js';
import type { Embedding } from './types.js';

/** Rates Silero VAD runs at without resampling. */
const VAD_RATES_HZ: ReadonlySet<number> = new Set([8000, 16000]);

/** Whether embedAudio runs the VAD on audio at this rate before resampling it (true at 8 and 16 kHz). */
export function vadRunsBeforeResampling(sampleRateHz: number): boolean {
  return VAD_RATES_HZ.has(sampleRateHz);
}

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
  /** Seconds of speech the VAD found (the net speech). */
  readonly netSpeechSeconds: number;
  /** Length of the whole recording in seconds. */
  readonly totalSeconds: number;
  readonly numWindows: number;
  readonly timingsMs: StageTimingsMs;
}

/**
 * The whole voice pipeline for one recording: bytes → decodeAudio → detectSpeech → extractSpeech (net speech only)
 * → resample to the card's rate → embedSpeech; audio at a rate Silero VAD does not take (not 8 or 16 kHz) is
 * resampled before detectSpeech instead. Used by the CLI and the API alike.
 * @param decodeOptions - channel, maximum length, raw-PCM rate (see DecodeOptions)
 * @throws AudioError for undecodable audio, InsufficientSpeechError when the net speech is shorter than the
 *   card's windowing.minSeconds (its netSpeechSeconds says how much there was)
 * @example const { embedding, netSpeechSeconds } = await embedAudio(model, await readFile('call.wav'));
 */
export async function embedAudio(model: SpeakerModel, bytes: Uint8Array, decodeOptions: DecodeOptions = {}): Promise<AudioEmbedding> {
  const t0 = performance.now();
  const decoded = await decodeAudio(bytes, decodeOptions);
  const t1 = performance.now();
  // Silero runs natively at 8 and 16 kHz: there, detect speech before resampling and resample only the speech
  // (the silences are never resampled, and Silero's 8 kHz branch is the smaller one). Other rates are resampled first.
  const vadFirst = vadRunsBeforeResampling(decoded.sampleRateHz);
  const toModelRate = (pcm: Pcm): Pcm => (pcm.sampleRateHz === model.card.sampleRateHz ? pcm : resample(pcm, model.card.sampleRateHz));
  let resampleMs = 0;
  let vadMs = 0;
  let detection: SpeechDetection;
  let speech: Pcm;
  if (vadFirst) {
    detection = await detectSpeech(decoded);
    const decodedSpeech = extractSpeech(decoded, detection.segments);
    const t2 = performance.now();
    // Nothing to resample when there is no speech; embedSpeech's length check below reports it.
    speech = decodedSpeech.samples.length === 0 ? decodedSpeech : toModelRate(decodedSpeech);
    vadMs = t2 - t1;
    resampleMs = performance.now() - t2;
  } else {
    const pcm = toModelRate(decoded);
    const t2 = performance.now();
    detection = await detectSpeech(pcm);
    speech = extractSpeech(pcm, detection.segments);
    resampleMs = t2 - t1;
    vadMs = performance.now() - t2;
  }
  const speechSeconds = speech.samples.length / speech.sampleRateHz;
  if (speechSeconds < model.card.windowing.minSeconds) throw new InsufficientSpeechError(speechSeconds, model.card.windowing.minSeconds);
  const result = await embedSpeech(model, speech);
  const t4 = performance.now();
  return {
    embedding: result.embedding,
    netSpeechSeconds: detection.netSpeechSeconds,
    totalSeconds: detection.totalSeconds,
    numWindows: result.numWindows,
    timingsMs: { decode: t1 - t0, resample: resampleMs, vad: vadMs, features: result.featuresMs, model: result.modelMs, total: t4 - t0 },
  };
}
