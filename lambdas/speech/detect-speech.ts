import { resample } from '../audio/index.js';
import type { Pcm } from '../audio/index.js';
import { speechSpans } from './segments.js';
import type { ResolvedSpeechOptions, SpeechDetection, SpeechDetectionOptions, SpeechSegment } from './types.js';
import { InvalidSpeechOptionError } from './errors.js';
import { SILERO_FRAMING } from './silero-batched-graph.js';
import { sileroProbabilities } from './silero-vad.js';

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
 * const pcm = await decodeAudio(bytes);
 * const { netSpeechSeconds, segments } = await detectSpeech(pcm);
 * const speechOnly = extractSpeech(pcm, segments); // netSpeechSeconds long
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
