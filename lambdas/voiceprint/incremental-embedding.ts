/**
 * Embedding speech that arrives in pieces (a live call): a running state that holds the sum of the window
 * embeddings made so far and the few seconds of speech the next window still needs, so a call is never re-read.
 * The windows are embedSpeech's (windowSeconds every hopSeconds, per-window mean normalisation, the card's mean
 * vector subtracted, L2-normalised) and `finishEmbedding` adds planWindows' tail window, so feeding speech in
 * pieces gives embedSpeech's embedding of the concatenation (up to the int16 rounding of the kept speech).
 */
import type { Pcm } from '../audio/index.js';
import { InsufficientSpeechError, InvalidVoiceInputError } from './errors.js';
import { subtractMean } from './features.js';
import type { SpeakerModel } from './speaker-model.js';
import type { Embedding, Frames, ModelCard } from './types.js';
import { l2Normalised } from './vectors.js';

/** The running state; serialisable with encodeEmbeddingState. Treat it as immutable. */
export interface EmbeddingState {
  /** Sum of the L2-normalised (centred) window embeddings so far; empty before the first window. */
  readonly sum: Float64Array;
  readonly numWindows: number;
  /** Seconds of speech fed in so far. */
  readonly speechSeconds: number;
  /**
   * Speech kept at the card's rate, as int16: from the start of the last window embedded (so that the tail
   * window can end at the end of the speech) or from the beginning before the first window.
   */
  readonly pending: Int16Array;
  /** Sample index in `pending` where the next window starts. */
  readonly nextWindowOffset: number;
}

/** What an embedding state amounts to now. */
export interface StateEmbedding {
  readonly embedding: Embedding;
  readonly numWindows: number;
  readonly speechSeconds: number;
}

/** Windows per network run, as embedSpeech batches them. */
const MAX_BATCH = 16;
const FORMAT_VERSION = 1;

/** The state before any speech. */
export function emptyEmbeddingState(): EmbeddingState {
  return { sum: new Float64Array(0), numWindows: 0, speechSeconds: 0, pending: new Int16Array(0), nextWindowOffset: 0 };
}

/** The card's window geometry in samples (frames are snip-edges frames, so a window of W frames spans these). */
function geometry(card: ModelCard): { windowFrames: number; hopSamples: number; windowSamples: number; shiftSamples: number; lengthSamples: number } {
  const { frameShiftMs, frameLengthMs } = card.features;
  const shiftSamples = Math.trunc((card.sampleRateHz * frameShiftMs) / 1000);
  const lengthSamples = Math.trunc((card.sampleRateHz * frameLengthMs) / 1000);
  const windowFrames = Math.max(1, Math.round((card.windowing.windowSeconds * 1000) / frameShiftMs));
  const hopFrames = Math.max(1, Math.round((card.windowing.hopSeconds * 1000) / frameShiftMs));
  return { windowFrames, hopSamples: hopFrames * shiftSamples, windowSamples: (windowFrames - 1) * shiftSamples + lengthSamples, shiftSamples, lengthSamples };
}

/** Kept int16 speech back to floats in [-1, 1). */
export function int16ToFloat(samples: Int16Array): Float32Array {
  return Float32Array.from(samples, (v) => v / 32768);
}

/** Float speech as int16, the way running states keep it (half the bytes of float32). */
export function floatToInt16(samples: Float32Array): Int16Array {
  return Int16Array.from(samples, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
}

/** Embeds windows of `windowFrames` frames starting at the given frames, centred and L2-normalised. */
async function embedWindows(model: SpeakerModel, frames: Frames, starts: readonly number[], windowFrames: number): Promise<Float32Array[]> {
  const { card } = model;
  const windowAt = (start: number): Frames =>
    card.features.meanNormalisation === 'utterance'
      ? subtractMean(frames, start, windowFrames)
      : { numFrames: windowFrames, dim: frames.dim, data: frames.data.slice(start * frames.dim, (start + windowFrames) * frames.dim) };
  const out: Float32Array[] = [];
  for (let i = 0; i < starts.length; i += MAX_BATCH) {
    out.push(...(await model.embedFrames(starts.slice(i, i + MAX_BATCH).map(windowAt))));
  }
  const meanVector = card.scoring.meanVector;
  return out.map((e) => l2Normalised(meanVector === null ? e : e.map((v, d) => v - meanVector[d]!)));
}

function addTo(sum: Float64Array, vectors: readonly Float32Array[]): Float64Array {
  const dim = vectors[0]?.length ?? sum.length;
  const out = sum.length === dim ? Float64Array.from(sum) : new Float64Array(dim);
  for (const v of vectors) for (let d = 0; d < dim; d++) out[d]! += v[d]!;
  return out;
}

/**
 * Feeds net speech into the state: embeds every window the speech kept so far completes, and keeps what the next
 * window needs (less than a window and a hop).
 * @param speech - mono net speech at the card's sampleRateHz
 * @throws InvalidVoiceInputError on a wrong rate
 */
export async function appendSpeech(model: SpeakerModel, state: EmbeddingState, speech: Pcm): Promise<EmbeddingState> {
  const { card } = model;
  if (speech.sampleRateHz !== card.sampleRateHz) {
    throw new InvalidVoiceInputError(`model ${card.id} takes ${card.sampleRateHz} Hz audio, got ${speech.sampleRateHz} Hz; resample first`);
  }
  const { windowFrames, hopSamples, windowSamples, shiftSamples } = geometry(card);
  const pending = new Int16Array(state.pending.length + speech.samples.length);
  pending.set(state.pending);
  pending.set(floatToInt16(speech.samples), state.pending.length);
  const speechSeconds = state.speechSeconds + speech.samples.length / card.sampleRateHz;

  const from = state.nextWindowOffset;
  let count = 0;
  while (from + count * hopSamples + windowSamples <= pending.length) count += 1;
  if (count === 0) return { ...state, pending, speechSeconds };

  const lastStart = from + (count - 1) * hopSamples;
  const region = int16ToFloat(pending.subarray(from, lastStart + windowSamples));
  const frames = model.features.compute(region);
  const hopFrames = hopSamples / shiftSamples;
  const starts = Array.from({ length: count }, (_, k) => k * hopFrames);
  const sum = addTo(state.sum, await embedWindows(model, frames, starts, windowFrames));
  // Keep from the start of the last window: the next one starts a hop later, and a tail window ends at the end.
  return { sum, numWindows: state.numWindows + count, speechSeconds, pending: pending.slice(lastStart), nextWindowOffset: hopSamples };
}

/**
 * The embedding of everything fed in, as embedSpeech would make it of the concatenated speech: the windows so far
 * plus, for speech after the last window, one window aligned to the end (or, before any full window, one window of
 * the whole speech). The state is left as it is, so a call can be evaluated mid-stream and go on.
 * @throws InsufficientSpeechError with less speech than the card's windowing.minSeconds
 */
export async function finishEmbedding(model: SpeakerModel, state: EmbeddingState): Promise<StateEmbedding> {
  const { card } = model;
  if (state.speechSeconds < card.windowing.minSeconds) throw new InsufficientSpeechError(state.speechSeconds, card.windowing.minSeconds);
  const { windowFrames, shiftSamples, lengthSamples } = geometry(card);
  if (state.numWindows === 0) {
    const frames = model.features.compute(int16ToFloat(state.pending));
    const [only] = await embedWindows(model, frames, [0], frames.numFrames);
    return { embedding: only!, numWindows: 1, speechSeconds: state.speechSeconds };
  }
  // pending starts at the last window; planWindows adds a tail window when frames remain after its end.
  const numFrames = Math.floor((state.pending.length - lengthSamples) / shiftSamples) + 1;
  let sum = state.sum;
  let numWindows = state.numWindows;
  if (numFrames > windowFrames) {
    const frames = model.features.compute(int16ToFloat(state.pending));
    sum = addTo(sum, await embedWindows(model, frames, [numFrames - windowFrames], windowFrames));
    numWindows += 1;
  }
  return { embedding: l2Normalised(Float32Array.from(sum)), numWindows, speechSeconds: state.speechSeconds };
}

/** The state as bytes (little-endian): what a session stores, encrypted, between pieces of audio. */
export function encodeEmbeddingState(state: EmbeddingState): Uint8Array {
  const header = 4 * 4 + 8;
  const bytes = new Uint8Array(header + state.sum.length * 8 + state.pending.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, FORMAT_VERSION, true);
  view.setUint32(4, state.sum.length, true);
  view.setUint32(8, state.numWindows, true);
  view.setUint32(12, state.nextWindowOffset, true);
  view.setFloat64(16, state.speechSeconds, true);
  let at = header;
  for (const v of state.sum) {
    view.setFloat64(at, v, true);
    at += 8;
  }
  for (const v of state.pending) {
    view.setInt16(at, v, true);
    at += 2;
  }
  return bytes;
}

/** A state from encodeEmbeddingState's bytes. @throws InvalidVoiceInputError for bytes it did not write */
export function decodeEmbeddingState(bytes: Uint8Array): EmbeddingState {
  const header = 24;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < header || view.getUint32(0, true) !== FORMAT_VERSION) throw new InvalidVoiceInputError('not an embedding state');
  const dim = view.getUint32(4, true);
  const rest = bytes.byteLength - header - dim * 8;
  if (rest < 0 || rest % 2 !== 0) throw new InvalidVoiceInputError('embedding state is truncated');
  const sum = new Float64Array(dim);
  for (let d = 0; d < dim; d++) sum[d] = view.getFloat64(header + d * 8, true);
  const pending = new Int16Array(rest / 2);
  for (let i = 0; i < pending.length; i++) pending[i] = view.getInt16(header + dim * 8 + i * 2, true);
  return { sum, numWindows: view.getUint32(8, true), nextWindowOffset: view.getUint32(12, true), speechSeconds: view.getFloat64(16, true), pending };
}
