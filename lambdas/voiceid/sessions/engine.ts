/**
 * The voice engine a session runs on, as a port: the handlers build it from the speaker model and Silero VAD
 * (lambdas/voiceid/session-engine.ts), so this folder never loads onnxruntime. The running state is opaque bytes
 * to the session service, which stores them encrypted between calls.
 */
import type { WatchlistCalibration } from '../../scoring/index.js';

/** Audio given to a session. */
export type SessionAudio =
  /** A whole file in any format the engine decodes; `channel` picks a channel of a stereo file. */
  | { readonly kind: 'file'; readonly bytes: Uint8Array; readonly channel?: number }
  /** A piece of mono PCM in stream order; consecutive pieces continue one another. */
  | { readonly kind: 'pcm'; readonly samples: Int16Array; readonly sampleRateHz: number };

/** What taking audio made of the state. */
export interface EngineStep {
  readonly state: Uint8Array;
  /** Net speech embedded in the state so far, in seconds. */
  readonly netSpeechSeconds: number;
}

/** Audio → net speech → running voiceprint, and the comparisons sessions make. */
export interface SessionVoiceEngine {
  /**
   * Adds audio to the state (undefined for a session without audio yet). Raw PCM may be held back until a few
   * seconds have arrived, so that voice activity detection sees enough context; `flush` runs it on what is held.
   * @throws AudioError for undecodable audio or a bad rate
   */
  addAudio(state: Uint8Array | undefined, audio: SessionAudio | undefined, flush: boolean): Promise<EngineStep>;
  /** The voiceprint of the speech in the state, or undefined when there is too little to embed. */
  voiceprint(state: Uint8Array): Promise<Float32Array | undefined>;
  /**
   * The countermeasure's 0–100 spoof risk of the speech in the state (a whole number), or undefined when there is
   * too little speech to score or the engine runs no countermeasure.
   */
  spoofRisk(state: Uint8Array): Promise<number | undefined>;
  /** Scores a probe of `probeSeconds` net speech against a voiceprint: the 0–100 score and the calibrated LLR. */
  score(voiceprint: Float32Array, probe: Float32Array, probeSeconds: number): { readonly score100: number; readonly llr: number };
  /** The id of the speaker model's card: stored voiceprints of another model are not scored against this engine's. */
  modelId(): Promise<string>;
  /** The model card's watchlist calibration, when it has one (else identity). */
  readonly watchlistCalibration?: WatchlistCalibration;
}
