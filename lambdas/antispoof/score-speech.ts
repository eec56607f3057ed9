import type { Pcm } from '../audio/index.js';
import type { FeaturesConfig, Frames } from '../voiceprint/index.js';
import { InvalidSpoofInputError } from './errors.js';
import { spoofRisk } from './risk.js';
import type { SpoofModel } from './spoof-model.js';
import type { SpoofScore } from './types.js';
import { planSpoofWindows, windowFrames, type SpoofWindow } from './windows.js';

/** Windows per network run: bounds memory for long recordings. */
export const SPOOF_BATCH = 16;

/** Raw frames `start … start + length - 1` as one model input (no normalisation: the graph does it). */
export function framesOf(frames: Frames, window: SpoofWindow): Frames {
  return { numFrames: window.length, dim: frames.dim, data: frames.data.subarray(window.start * frames.dim, (window.start + window.length) * frames.dim) };
}

/** Sum of the model's logits over `windows` of `frames`, equally long ones batched together. */
export async function sumOfLogits(model: SpoofModel, frames: Frames, windows: readonly SpoofWindow[]): Promise<number> {
  let sum = 0;
  const byLength = new Map<number, SpoofWindow[]>();
  for (const w of windows) byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
  for (const group of byLength.values()) {
    for (let i = 0; i < group.length; i += SPOOF_BATCH) {
      for (const logit of await model.logits(group.slice(i, i + SPOOF_BATCH).map((w) => framesOf(frames, w)))) sum += logit;
    }
  }
  return sum;
}

/** The score of `numWindows` windows whose logits sum to `logitSum`. */
export function pooledScore(model: SpoofModel, logitSum: number, numWindows: number, speechSeconds: number): SpoofScore {
  const pooledLogit = logitSum / numWindows;
  return { pooledLogit, risk: spoofRisk(model.card.calibration, pooledLogit), numWindows, speechSeconds };
}

/**
 * Whether frames a speaker model computed with `features` at `sampleRateHz` are the countermeasure's input too (the
 * contract says they are; a card that differs gets frames of its own). meanNormalisation is the speaker model's
 * business: the countermeasure takes the frames raw.
 */
export function sharesFeatures(model: SpoofModel, features: FeaturesConfig, sampleRateHz: number): boolean {
  const withoutMean = ({ meanNormalisation: _, ...rest }: FeaturesConfig): string => JSON.stringify(rest);
  return sampleRateHz === model.card.sampleRateHz && withoutMean(features) === withoutMean(model.card.features);
}

/**
 * One score from the scores of several recordings of one caller (a batch record's files): the mean of all their
 * window logits, as if their speech had been scored as one.
 * @returns undefined when none has a score
 */
export function poolSpoofScores(model: SpoofModel, scores: readonly (SpoofScore | undefined)[]): SpoofScore | undefined {
  const scored = scores.filter((s): s is SpoofScore => s !== undefined);
  if (scored.length === 0) return undefined;
  const sum = scored.reduce((total, s) => total + s.pooledLogit * s.numWindows, 0);
  const windows = scored.reduce((total, s) => total + s.numWindows, 0);
  return pooledScore(model, sum, windows, scored.reduce((total, s) => total + s.speechSeconds, 0));
}

/**
 * Scores net speech as a whole (a batch record, a file on the command line): its fbank frames (given, when the
 * speaker model computed them already, else computed here), the card's windows, the mean logit and its risk.
 * @param speech - mono net speech at the card's sampleRateHz
 * @param precomputed - `speech`'s frames from the same fbank settings
 * @returns undefined when the speech is shorter than windowing.minSeconds (no window)
 * @throws InvalidSpoofInputError on a wrong rate or frames of another size
 */
export async function scoreSpoofSpeech(model: SpoofModel, speech: Pcm, precomputed?: Frames): Promise<SpoofScore | undefined> {
  const { card } = model;
  if (speech.sampleRateHz !== card.sampleRateHz) {
    throw new InvalidSpoofInputError(`countermeasure ${card.id} takes ${card.sampleRateHz} Hz audio, got ${speech.sampleRateHz} Hz; resample first`);
  }
  const frames = precomputed ?? model.features.compute(speech.samples);
  if (frames.dim !== model.features.dim) throw new InvalidSpoofInputError(`countermeasure ${card.id} takes ${model.features.dim}-bin frames, got ${frames.dim}`);
  const windows = planSpoofWindows(frames.numFrames, windowFrames(card));
  if (windows.length === 0) return undefined;
  return pooledScore(model, await sumOfLogits(model, frames, windows), windows.length, speech.samples.length / speech.sampleRateHz);
}
