import type { DurationTerms } from '../scoring/types.js';

/** Window applied to each frame before the FFT (Kaldi's `window_type`). */
export type FbankWindowKind = 'hamming' | 'povey' | 'hanning' | 'rectangular';

/** What is subtracted from the features before the model sees them. */
export type MeanNormalisation = 'utterance' | 'none';

/**
 * Kaldi-compatible log-Mel filterbank settings (torchaudio.compliance.kaldi.fbank names, in camelCase with units).
 * Energy is never appended (`use_energy=False`), so `rawEnergy` and `energyFloor` are carried for the record only.
 */
export interface KaldiFbankConfig {
  readonly kind: 'kaldi-fbank';
  readonly numMelBins: number;
  readonly frameLengthMs: number;
  readonly frameShiftMs: number;
  readonly window: FbankWindowKind;
  /** The waveform in [-1, 1] is multiplied by this first (WeSpeaker: 32768; 3D-Speaker: 1). */
  readonly sampleScale: number;
  /** Only 0 is supported: inference must be deterministic. */
  readonly dither: number;
  readonly preemphasisCoefficient: number;
  readonly removeDcOffset: boolean;
  readonly rawEnergy: boolean;
  readonly lowFreqHz: number;
  /** 0 or negative: offset from the Nyquist frequency, as Kaldi. */
  readonly highFreqHz: number;
  /** Only true is supported (frames that do not fit whole are dropped). */
  readonly snipEdges: boolean;
  readonly useLogFbank: boolean;
  readonly usePower: boolean;
  readonly energyFloor: number;
  /** Applied per model input (a whole utterance, or one window of it). */
  readonly meanNormalisation: MeanNormalisation;
}

/** The front ends a card may name; a new kind is a new member here and a new file. */
export type FeaturesConfig = KaldiFbankConfig;

/** Feature frames: `data` is row-major `[numFrames, dim]`. */
export interface Frames {
  readonly numFrames: number;
  readonly dim: number;
  readonly data: Float32Array;
}

/** Tensor names and sizes of the ONNX model: input `[B, T, numMelBins]`, output `[B, embeddingDim]`. */
export interface ModelIo {
  readonly input: string;
  readonly output: string;
  readonly embeddingDim: number;
}

/** How long audio becomes one embedding (all in seconds of net speech). */
export interface WindowingPolicy {
  readonly windowSeconds: number;
  readonly hopSeconds: number;
  /** Shorter audio cannot be embedded. */
  readonly minSeconds: number;
  readonly pooling: 'mean';
}

/** `llr = a · score + b`, or with `duration` the quality-measure form of the scoring box's Calibration. */
export interface LogisticCalibration {
  readonly kind: 'logistic';
  readonly a: number;
  readonly b: number;
  readonly duration?: DurationTerms;
  readonly fittedOn?: string;
}

/**
 * `risk llr = a · watchlist llr + b`: the affine recalibration of the known-fraudster LLR (the mean of the N
 * likelihood ratios, see knownFraudsterRisk), fitted by `timbre eval-watchlist --fit` on held-out speakers.
 */
export interface WatchlistCalibrationEntry {
  readonly a: number;
  readonly b: number;
  readonly fittedOn?: string;
}

/** The card's scoring section, with the files it names already loaded. */
export interface CardScoring {
  /** Subtracted from every raw embedding before L2 normalisation; null = none. */
  readonly meanVector: Float32Array | null;
  /** L2-normalised cohort embeddings for AS-norm; null = plain cosine. */
  readonly cohort: readonly Float32Array[] | null;
  readonly asNormTopN: number;
  readonly calibration: LogisticCalibration;
  /** The known-fraudster risk recalibration; null = identity (the per-comparison LLRs are trusted as they are). */
  readonly watchlistCalibration: WatchlistCalibrationEntry | null;
}

/** A parsed, validated model card (format `timbre-model-card/1`). Paths are absolute. */
export interface ModelCard {
  readonly format: 'timbre-model-card/1';
  readonly id: string;
  /** Absolute path of the card file itself. */
  readonly cardPath: string;
  /** Absolute path of the ONNX file. */
  readonly onnxPath: string;
  readonly sha256: string;
  readonly sampleRateHz: number;
  readonly features: FeaturesConfig;
  readonly io: ModelIo;
  readonly windowing: WindowingPolicy;
  readonly scoring: CardScoring;
  /** Everything else the card holds (licence, evaluation, ...), untouched. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A speaker embedding (L2-normalised unless stated). */
export type Embedding = Float32Array;
