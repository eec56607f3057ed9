import type { FeaturesConfig } from '../voiceprint/index.js';

/** The only countermeasure card format this code reads. */
export const CM_CARD_FORMAT = 'timbre-cm-card/1';

/** How speech becomes windows, and windows one score (seconds of net speech). */
export interface SpoofWindowing {
  readonly windowSeconds: number;
  readonly hopSeconds: number;
  /** Less speech than this gives no score. */
  readonly minSeconds: number;
  readonly pooling: 'mean';
}

/** `risk = 100 · sigmoid(a · pooled logit + b)`. */
export interface SpoofCalibration {
  readonly kind: 'logistic';
  readonly a: number;
  readonly b: number;
  readonly fittedOn?: string;
}

/** A parsed, validated countermeasure card (docs/antispoof.md). Paths are absolute. */
export interface CmCard {
  readonly format: typeof CM_CARD_FORMAT;
  readonly id: string;
  readonly cardPath: string;
  readonly onnxPath: string;
  readonly sha256: string;
  readonly sampleRateHz: number;
  /** The speaker card's front end: frames are computed once for both models (the CM takes them raw, whatever meanNormalisation says). */
  readonly features: FeaturesConfig;
  /** Input `[batch, frames, numMelBins]` raw log-mel frames; output `[batch]` spoof log-odds (positive = spoof). */
  readonly io: { readonly input: string; readonly output: string };
  readonly windowing: SpoofWindowing;
  readonly calibration: SpoofCalibration;
  readonly params: number;
  /** Everything else the card holds (heldOut, measured, ...), untouched. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What scoring speech gave: the pooled log-odds, its calibrated 0–100 risk (unrounded) and the windows behind it. */
export interface SpoofScore {
  /** Mean of the window logits. */
  readonly pooledLogit: number;
  /** `100 · sigmoid(a · pooledLogit + b)`, in [0, 100]; round it for API answers (spoofRisk100). */
  readonly risk: number;
  readonly numWindows: number;
  readonly speechSeconds: number;
}
