import type { Pcm } from '../audio/index.js';
import { InsufficientSpeechError, InvalidVoiceInputError } from './errors.js';
import { subtractMean } from './features.js';
import type { SpeakerModel } from './speaker-model.js';
import type { Embedding, Frames, WindowingPolicy } from './types.js';
import { meanOfNormalised } from './vectors.js';

/** What `embedSpeech` made. */
export interface SpeechEmbedding {
  /** L2-normalised, io.embeddingDim long. */
  readonly embedding: Embedding;
  /** Seconds of audio embedded (net speech, when given speech only). */
  readonly speechSeconds: number;
  /** How many windows were embedded and averaged. */
  readonly numWindows: number;
  /** Milliseconds in the front end and in the network. */
  readonly featuresMs: number;
  readonly modelMs: number;
}

/** Windows per network run: bounds memory for long recordings. */
const MAX_BATCH = 16;

/**
 * Start frames of the windows covering `numFrames` frames, by the card's policy: windows of windowSeconds every
 * hopSeconds; a tail the last hop would miss gets one more window aligned to the end; audio no longer than one
 * window is one window of its own length.
 * @returns start frames and the window length in frames
 */
export function planWindows(numFrames: number, frameShiftMs: number, policy: WindowingPolicy): { starts: number[]; lengthFrames: number } {
  const windowFrames = Math.max(1, Math.round((policy.windowSeconds * 1000) / frameShiftMs));
  const hopFrames = Math.max(1, Math.round((policy.hopSeconds * 1000) / frameShiftMs));
  if (numFrames <= windowFrames) return { starts: [0], lengthFrames: numFrames };
  const starts: number[] = [];
  for (let start = 0; start + windowFrames <= numFrames; start += hopFrames) starts.push(start);
  const lastEnd = starts[starts.length - 1]! + windowFrames;
  if (lastEnd < numFrames) starts.push(numFrames - windowFrames);
  return { starts, lengthFrames: windowFrames };
}

/**
 * Embeds speech by the card's windowing policy: features once over the whole input, then per window the card's mean
 * normalisation, the network (in batches), the card's mean vector subtracted, L2 normalisation, and the mean of the
 * window embeddings, L2-normalised.
 * @param pcm - mono audio at the card's sampleRateHz, normally net speech only (see extractSpeech)
 * @param precomputed - `pcm`'s frames from the card's front end, when the caller computed them already
 * @throws InsufficientSpeechError when shorter than windowing.minSeconds; InvalidVoiceInputError on a wrong rate
 * @example const { embedding } = await embedSpeech(model, speechPcm);
 */
export async function embedSpeech(model: SpeakerModel, pcm: Pcm, precomputed?: Frames): Promise<SpeechEmbedding> {
  const { card, features } = model;
  if (pcm.sampleRateHz !== card.sampleRateHz) {
    throw new InvalidVoiceInputError(`model ${card.id} takes ${card.sampleRateHz} Hz audio, got ${pcm.sampleRateHz} Hz; resample first`);
  }
  const speechSeconds = pcm.samples.length / pcm.sampleRateHz;
  if (speechSeconds < card.windowing.minSeconds) throw new InsufficientSpeechError(speechSeconds, card.windowing.minSeconds);

  const featuresStarted = performance.now();
  const frames = precomputed ?? features.compute(pcm.samples);
  const { starts, lengthFrames } = planWindows(frames.numFrames, card.features.frameShiftMs, card.windowing);
  const windowAt = (start: number): Frames =>
    card.features.meanNormalisation === 'utterance'
      ? subtractMean(frames, start, lengthFrames)
      : { numFrames: lengthFrames, dim: frames.dim, data: frames.data.slice(start * frames.dim, (start + lengthFrames) * frames.dim) };
  let featuresMs = performance.now() - featuresStarted;

  // Windows are made batch by batch, so a long recording never holds all its (overlapping) windows at once.
  let modelMs = 0;
  const raw: Float32Array[] = [];
  for (let i = 0; i < starts.length; i += MAX_BATCH) {
    const t0 = performance.now();
    const batch = starts.slice(i, i + MAX_BATCH).map(windowAt);
    const t1 = performance.now();
    raw.push(...(await model.embedFrames(batch)));
    featuresMs += t1 - t0;
    modelMs += performance.now() - t1;
  }
  const meanVector = card.scoring.meanVector;
  const centred = meanVector === null ? raw : raw.map((e) => e.map((v, d) => v - meanVector[d]!));
  const embedding = meanOfNormalised(centred);
  return { embedding, speechSeconds, numWindows: starts.length, featuresMs, modelMs };
}

/**
 * One voiceprint from several embeddings of the same speaker (enrolment over several recordings):
 * the L2-normalised mean of the L2-normalised embeddings, each weighted by its seconds of speech when given.
 * @throws InvalidVoiceInputError when there are none or their sizes differ
 */
export function aggregateEmbeddings(embeddings: readonly Embedding[], speechSeconds?: readonly number[]): Embedding {
  if (embeddings.length === 0) throw new InvalidVoiceInputError('no embeddings to aggregate');
  const dim = embeddings[0]!.length;
  if (embeddings.some((e) => e.length !== dim)) throw new InvalidVoiceInputError('embeddings to aggregate differ in size');
  if (speechSeconds !== undefined && (speechSeconds.length !== embeddings.length || speechSeconds.some((s) => !(s >= 0)))) {
    throw new InvalidVoiceInputError('need one non-negative speech duration per embedding');
  }
  return meanOfNormalised(embeddings, speechSeconds);
}
