/**
 * Scoring speech that arrives in pieces (a live call): a running state of the window logits' sum and count and the
 * speech the next window still needs, so the score grows with the call and no audio is read twice. Windows are
 * scoreSpoofSpeech's (windows.ts) and finishing adds its tail window, so feeding speech in pieces scores as the
 * whole would (up to the int16 rounding of the kept speech).
 */
import { floatToInt16, int16ToFloat, type Pcm } from '../audio/index.js';
import { InvalidSpoofInputError } from './errors.js';
import { pooledScore, sumOfLogits } from './score-speech.js';
import type { SpoofModel } from './spoof-model.js';
import type { SpoofScore } from './types.js';
import { fullWindowCount, tailWindow, windowFrames, type SpoofWindow } from './windows.js';

/** The running state; serialisable with encodeSpoofState. Treat it as immutable. */
export interface SpoofState {
  /** Sum of the logits of the full windows scored so far. */
  readonly logitSum: number;
  readonly numWindows: number;
  /** Seconds of speech fed in so far. */
  readonly speechSeconds: number;
  /** Speech kept at the card's rate, as int16, from where the next full window starts (a frame boundary). */
  readonly pending: Int16Array;
}

const FORMAT_VERSION = 1;
const HEADER_BYTES = 4 + 4 + 8 + 8;

/** The state before any speech. */
export function emptySpoofState(): SpoofState {
  return { logitSum: 0, numWindows: 0, speechSeconds: 0, pending: new Int16Array(0) };
}

/**
 * Feeds net speech into the state: scores every full window the kept speech now holds, and keeps from where the
 * next one starts.
 * @param speech - mono net speech at the card's sampleRateHz
 * @throws InvalidSpoofInputError on a wrong rate
 */
export async function appendSpoofSpeech(model: SpoofModel, state: SpoofState, speech: Pcm): Promise<SpoofState> {
  const { card, features } = model;
  if (speech.sampleRateHz !== card.sampleRateHz) {
    throw new InvalidSpoofInputError(`countermeasure ${card.id} takes ${card.sampleRateHz} Hz audio, got ${speech.sampleRateHz} Hz; resample first`);
  }
  const pending = new Int16Array(state.pending.length + speech.samples.length);
  pending.set(state.pending);
  pending.set(floatToInt16(speech.samples), state.pending.length);
  const speechSeconds = state.speechSeconds + speech.samples.length / card.sampleRateHz;
  const geometry = windowFrames(card);
  const count = fullWindowCount(features.numFramesFor(pending.length), geometry);
  if (count === 0) return { ...state, pending, speechSeconds };
  const lastEndSample = ((count - 1) * geometry.hopFrames + geometry.windowFrames - 1) * features.frameShiftSamples + features.frameLengthSamples;
  const frames = features.compute(int16ToFloat(pending.subarray(0, lastEndSample)));
  const windows: SpoofWindow[] = Array.from({ length: count }, (_, k) => ({ start: k * geometry.hopFrames, length: geometry.windowFrames }));
  const logitSum = state.logitSum + (await sumOfLogits(model, frames, windows));
  return { logitSum, numWindows: state.numWindows + count, speechSeconds, pending: pending.slice(count * geometry.hopFrames * features.frameShiftSamples) };
}

/**
 * The score of everything fed in, as scoreSpoofSpeech would give it for the concatenated speech: the full windows
 * so far and the tail window. The state is left as it is, so a call can be scored mid-stream and go on.
 * @returns undefined with less speech than windowing.minSeconds
 */
export async function finishSpoofScore(model: SpoofModel, state: SpoofState): Promise<SpoofScore | undefined> {
  const { features } = model;
  const geometry = windowFrames(model.card);
  const pendingFrames = features.numFramesFor(state.pending.length);
  // The pending speech starts where the next window would: with windows before it, its first windowFrames − hopFrames frames were seen already.
  const seen = state.numWindows === 0 ? 0 : 1;
  const tail = tailWindow(pendingFrames + seen * geometry.hopFrames, seen, geometry);
  if (tail === undefined) return state.numWindows === 0 ? undefined : pooledScore(model, state.logitSum, state.numWindows, state.speechSeconds);
  const frames = features.compute(int16ToFloat(state.pending));
  const logit = await sumOfLogits(model, frames, [{ start: tail.start - seen * geometry.hopFrames, length: tail.length }]);
  return pooledScore(model, state.logitSum + logit, state.numWindows + 1, state.speechSeconds);
}

/** The state as bytes (little-endian): what a session stores, encrypted, between pieces of audio. */
export function encodeSpoofState(state: SpoofState): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + state.pending.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, FORMAT_VERSION, true);
  view.setUint32(4, state.numWindows, true);
  view.setFloat64(8, state.logitSum, true);
  view.setFloat64(16, state.speechSeconds, true);
  state.pending.forEach((v, i) => view.setInt16(HEADER_BYTES + i * 2, v, true));
  return bytes;
}

/** A state from encodeSpoofState's bytes. @throws InvalidSpoofInputError for bytes it did not write */
export function decodeSpoofState(bytes: Uint8Array): SpoofState {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER_BYTES || view.getUint32(0, true) !== FORMAT_VERSION) throw new InvalidSpoofInputError('not a spoof state');
  const rest = bytes.byteLength - HEADER_BYTES;
  if (rest % 2 !== 0) throw new InvalidSpoofInputError('spoof state is truncated');
  const pending = new Int16Array(rest / 2);
  for (let i = 0; i < pending.length; i++) pending[i] = view.getInt16(HEADER_BYTES + i * 2, true);
  return { numWindows: view.getUint32(4, true), logitSum: view.getFloat64(8, true), speechSeconds: view.getFloat64(16, true), pending };
}
