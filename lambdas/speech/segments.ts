import type { ResolvedSpeechOptions } from './options.js';

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
