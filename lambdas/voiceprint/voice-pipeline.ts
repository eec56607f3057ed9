import { decodeAudio, resample, type DecodeOptions, type Pcm } from '../audio/index.js';
import { detectSpeech, extractSpeech, type SpeechDetection } from '../speech/index.js';
import { embedSpeech } from './embed-speech.js';
import { InsufficientSpeechError } from './errors.js';
import type { SpeakerModel } from './speaker-model.js';
import type { Embedding, Frames } from './types.js';

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

/** A recording's net speech at a model's rate, and what finding it cost. */
export interface AudioSpeech {
  /** Net speech only (the VAD's segments, joined), at the rate asked for. */
  readonly speech: Pcm;
  /** Seconds of speech the VAD found (the net speech). */
  readonly netSpeechSeconds: number;
  /** Length of the whole recording in seconds. */
  readonly totalSeconds: number;
  readonly timingsMs: { readonly decode: number; readonly resample: number; readonly vad: number };
}

/**
 * The front of every model's pipeline: bytes → decodeAudio → detectSpeech → extractSpeech (net speech only) →
 * resample to `sampleRateHz`; audio at a rate Silero VAD does not take (not 8 or 16 kHz) is resampled before
 * detectSpeech instead. The speaker model and the spoofing countermeasure both start from it.
 * @param sampleRateHz - the model's rate (its card's sampleRateHz)
 * @throws AudioError for undecodable audio
 */
export async function speechOfAudio(bytes: Uint8Array, sampleRateHz: number, decodeOptions: DecodeOptions = {}): Promise<AudioSpeech> {
  const t0 = performance.now();
  const decoded = await decodeAudio(bytes, decodeOptions);
  const t1 = performance.now();
  // Silero runs natively at 8 and 16 kHz: there, detect speech before resampling and resample only the speech
  // (the silences are never resampled, and Silero's 8 kHz branch is the smaller one). Other rates are resampled first.
  const toModelRate = (pcm: Pcm): Pcm => (pcm.sampleRateHz === sampleRateHz ? pcm : resample(pcm, sampleRateHz));
  let resampleMs = 0;
  let vadMs = 0;
  let detection: SpeechDetection;
  let speech: Pcm;
  if (vadRunsBeforeResampling(decoded.sampleRateHz)) {
    detection = await detectSpeech(decoded);
    const decodedSpeech = extractSpeech(decoded, detection.segments);
    const t2 = performance.now();
    // Nothing to resample when there is no speech; the caller's length check reports it.
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
  return { speech, netSpeechSeconds: detection.netSpeechSeconds, totalSeconds: detection.totalSeconds, timingsMs: { decode: t1 - t0, resample: resampleMs, vad: vadMs } };
}

/**
 * The whole voice pipeline for one recording: speechOfAudio (decode, VAD, net speech at the card's rate) →
 * embedSpeech. Used by the CLI and the API alike.
 * @param decodeOptions - channel, maximum length, raw-PCM rate (see DecodeOptions)
 * @param found - the recording's speech and its fbank frames when the caller has them already (a countermeasure on
 *   the same features computed them once for both models)
 * @throws AudioError for undecodable audio, InsufficientSpeechError when the net speech is shorter than the
 *   card's windowing.minSeconds (its netSpeechSeconds says how much there was)
 * @example const { embedding, netSpeechSeconds } = await embedAudio(model, await readFile('call.wav'));
 */
export async function embedAudio(
  model: SpeakerModel,
  bytes: Uint8Array,
  decodeOptions: DecodeOptions = {},
  found?: { readonly audio: AudioSpeech; readonly frames: Frames },
): Promise<AudioEmbedding> {
  const t0 = performance.now();
  const audio = found?.audio ?? (await speechOfAudio(bytes, model.card.sampleRateHz, decodeOptions));
  const { speech } = audio;
  const speechSeconds = speech.samples.length / speech.sampleRateHz;
  if (speechSeconds < model.card.windowing.minSeconds) throw new InsufficientSpeechError(speechSeconds, model.card.windowing.minSeconds);
  const result = await embedSpeech(model, speech, found?.frames);
  const t4 = performance.now();
  return {
    embedding: result.embedding,
    netSpeechSeconds: audio.netSpeechSeconds,
    totalSeconds: audio.totalSeconds,
    numWindows: result.numWindows,
    timingsMs: { ...audio.timingsMs, features: result.featuresMs, model: result.modelMs, total: t4 - t0 + (found === undefined ? 0 : audio.timingsMs.decode + audio.timingsMs.resample + audio.timingsMs.vad) },
  };
}
