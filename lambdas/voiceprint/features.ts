import { createKaldiFbank, type FeatureExtractor } from './fbank-kaldi.js';
import { InvalidVoiceInputError } from './errors.js';
import type { FeaturesConfig, Frames } from './types.js';

/**
 * Builds the front end a card's `features` names (one file per kind; add a case here for a new one).
 * @param sampleRateHz - rate of the audio it will be given (the card's sampleRateHz)
 */
export function createFeatureExtractor(features: FeaturesConfig, sampleRateHz: number): FeatureExtractor {
  switch (features.kind) {
    case 'kaldi-fbank':
      return createKaldiFbank(features, sampleRateHz);
    default: {
      const never: never = features.kind;
      throw new InvalidVoiceInputError(`unknown features kind ${String(never)}`);
    }
  }
}

/**
 * Subtracts, per feature bin, the mean over frames `startFrame … startFrame + numFrames - 1` (WeSpeaker's and
 * 3D-Speaker's per-utterance CMN, no variance normalisation) and returns those frames as a new Frames.
 * @example subtractMean(frames) // whole utterance
 */
export function subtractMean(frames: Frames, startFrame = 0, numFrames = frames.numFrames - startFrame): Frames {
  const { dim } = frames;
  if (startFrame < 0 || numFrames < 0 || startFrame + numFrames > frames.numFrames) {
    throw new InvalidVoiceInputError(`frames ${startFrame}+${numFrames} are outside 0…${frames.numFrames}`);
  }
  const src = frames.data.subarray(startFrame * dim, (startFrame + numFrames) * dim);
  const mean = new Float64Array(dim);
  for (let f = 0; f < numFrames; f++) for (let d = 0; d < dim; d++) mean[d]! += src[f * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= Math.max(numFrames, 1);
  const out = new Float32Array(src.length);
  for (let f = 0; f < numFrames; f++) for (let d = 0; d < dim; d++) out[f * dim + d] = src[f * dim + d]! - mean[d]!;
  return { numFrames, dim, data: out };
}

export type { FeatureExtractor };
