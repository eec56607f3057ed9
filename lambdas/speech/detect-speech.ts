import { resample } from '../audio/index.js';
import type { Pcm } from '../audio/index.js';
import { sileroProbabilities, SILERO_FRAMING } from './silero-probabilities.js';
import { resolveSpeechOptions, type SpeechDetectionOptions } from './options.js';
import { speechSpans } from './segments.js';
import type { SpeechDetection, SpeechSegment } from './types.js';

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
