import type { Pcm } from '../audio/index.js';
import { InvalidSpeechOptionError } from './errors.js';
import type { SpeechSegment } from './types.js';

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
