/**
 * `llr = a · score + b`, fitted by fitCalibration; with `duration` (a quality-measure function fitted by
 * fitDurationCalibration), slope and offset move with the probe's net speech:
 * `llr = (a + slope·q) · score + b + offset·q`, `q = ln(clamp(probe seconds, min, max) / reference)`.
 */
export interface Calibration {
  readonly a: number;
  readonly b: number;
  readonly duration?: DurationTerms;
}

/** How a calibration's slope and offset change with the probe's net speech (q = 0 at `referenceSeconds`). */
export interface DurationTerms {
  readonly slope: number;
  readonly offset: number;
  readonly referenceSeconds: number;
  /** Net speech outside [minSeconds, maxSeconds] counts as the nearest end: the fit saw nothing beyond. */
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/** How raw embeddings become a calibrated score (the scoring section of a model card, files loaded). */
export interface ScoringConfig {
  /** L2-normalised cohort embeddings for AS-norm; null = plain cosine. */
  readonly cohort: readonly Float32Array[] | null;
  /** How many of the closest cohort embeddings AS-norm uses. @default 100 */
  readonly asNormTopN: number;
  readonly calibration: Calibration;
}

/** Every number one enrolment-vs-probe comparison produces. */
export interface TrialScore {
  /** Cosine similarity in [-1, 1]. */
  readonly cosine: number;
  /** What calibration is applied to: the AS-norm score when there is a cohort, else the cosine. */
  readonly score: number;
  /** Calibrated log-likelihood ratio (natural log). */
  readonly llr: number;
  /** round(100 · sigmoid(llr)): the posterior at a prior of 0.5, as a percentage. */
  readonly score100: number;
}

/** One point of a DET / ROC curve. */
export interface ErrorRatePoint {
  /** Trials scoring at or above this are accepted. */
  readonly threshold: number;
  /** False-alarm (false-accept) rate of non-target trials. */
  readonly pFa: number;
  /** Miss (false-reject) rate of target trials. */
  readonly pMiss: number;
}

/** Target vs non-target scores of a trial list (any score scale where higher means "same speaker"). */
export interface TrialScores {
  readonly targets: readonly number[];
  readonly nontargets: readonly number[];
}
