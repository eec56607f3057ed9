import type { Pcm } from '../audio/index.js';
import { InvalidSpeechOptionError } from './errors.js';
import type { ResolvedSpeechOptions, SpeechSegment } from './types.js';

/** A speech stretch in samples: [startSample, endSample). */
export interface SampleSpan {
  readonly startSample: number;
  readonly endSample: number;
}

/**
 * Turns per-window speech probabilities into speech spans with Silero's rules
 * (`get_speech_timestamps`): speech starts at the first window at or above `threshold`; it ends at
 * the first window below `negThreshold` that is followed by at least `minSilenceMs` of such windows;
 * spans shorter than `minSpeechMs` are dropped; then each span is padded by `speechPadMs`, and where
 * two spans are closer than twice the pad, the gap is split between them. Spans never overlap.
 *
 * @param probabilities one per window of `windowSamples` samples.
 * @param totalSamples length of the audio, which bounds the last span.
 * @example
 * const spans = speechSpans(probabilities, 256, 8000, pcm.samples.length, resolveSpeechOptions());
 */
export function speechSpans(
  probabilities: Float32Array,
  windowSamples: number,
  sampleRateHz: number,
  totalSamples: number,
  options: ResolvedSpeechOptions,
): SampleSpan[] {
  const minSpeechSamples = (sampleRateHz * options.minSpeechMs) / 1000;
  const minSilenceSamples = (sampleRateHz * options.minSilenceMs) / 1000;
  const padSamples = Math.floor((sampleRateHz * options.speechPadMs) / 1000);

  const raw: Array<{ startSample: number; endSample: number }> = [];
  let inSpeech = false;
  let start = 0;
  let silenceStart = -1; // where the current run below negThreshold began, or -1
  for (let w = 0; w < probabilities.length; w++) {
    const p = probabilities[w]!;
    const at = w * windowSamples;
    if (p >= options.threshold) {
      silenceStart = -1;
      if (!inSpeech) {
        inSpeech = true;
        start = at;
      }
      continue;
    }
    if (!inSpeech || p >= options.negThreshold) continue;
    if (silenceStart < 0) silenceStart = at;
    if (at - silenceStart < minSilenceSamples) continue;
    if (silenceStart - start > minSpeechSamples) raw.push({ startSample: start, endSample: silenceStart });
    inSpeech = false;
    silenceStart = -1;
  }
  if (inSpeech && totalSamples - start > minSpeechSamples) raw.push({ startSample: start, endSample: totalSamples });

  // Pad, splitting gaps narrower than two pads between the neighbours so spans never overlap.
  for (let i = 0; i < raw.length; i++) {
    const span = raw[i]!;
    if (i === 0) span.startSample = Math.max(0, span.startSample - padSamples);
    const next = raw[i + 1];
    if (!next) {
      span.endSample = Math.min(totalSamples, span.endSample + padSamples);
      continue;
    }
    const gap = next.startSample - span.endSample;
    if (gap < 2 * padSamples) {
      span.endSample += Math.floor(gap / 2);
      next.startSample = Math.max(0, next.startSample - Math.floor(gap / 2));
    } else {
      span.endSample = Math.min(totalSamples, span.endSample + padSamples);
      next.startSample = Math.max(0, next.startSample - padSamples);
    }
  }
  return raw;
}

/**
 * Concatenates the samples of `pcm` that lie inside `segments` (in seconds, as `detectSpeech`
 * returns them), in time order, for the embedding stage. Overlapping or touching segments are
 * merged first so no sample is taken twice; segments are clamped to the audio.
 *
 * @returns Pcm at `pcm.sampleRateHz` holding only speech (empty when there is none).
 * @throws {InvalidSpeechOptionError} for a segment with a non-finite bound or an end before its start.
 * @example
 * const speechOnly = extractSpeech(pcm, (await detectSpeech(pcm)).segments);
 */
export function extractSpeech(pcm: Pcm, segments: readonly SpeechSegment[]): Pcm {
  const rate = pcm.sampleRateHz;
  const total = pcm.samples.length;
  const ranges = segments
    .map((s) => {
      if (!Number.isFinite(s.startSeconds) || !Number.isFinite(s.endSeconds) || s.endSeconds < s.startSeconds) {
        throw new InvalidSpeechOptionError(`Invalid speech segment [${s.startSeconds}, ${s.endSeconds}] s`);
      }
      const start = Math.min(total, Math.max(0, Math.round(s.startSeconds * rate)));
      const end = Math.min(total, Math.max(0, Math.round(s.endSeconds * rate)));
      return [start, end] as const;
    })
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);

  const merged: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const samples = new Float32Array(merged.reduce((n, [start, end]) => n + end - start, 0));
  let at = 0;
  for (const [start, end] of merged) {
    samples.set(pcm.samples.subarray(start, end), at);
    at += end - start;
  }
  return { sampleRateHz: rate, samples };
}
